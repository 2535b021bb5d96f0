# Sourced by bench/run-suite.sh and bench/scale.sh: raises this shell's soft limits on descriptors
# and processes as far as they go, for ScaleCheck's 10,000 children (about 40,000 descriptors with
# three pipes each). Past the hard limit only with CAP_SYS_RESOURCE; a container may not grant it,
# and then ScaleCheck fits N to what the limits allow and says which one bound it.
ulimit -Sn 65536 2>/dev/null || ulimit -n 65536 2>/dev/null || ulimit -Sn "$(ulimit -Hn)"
ulimit -u unlimited 2>/dev/null || ulimit -Su "$(ulimit -Hu)"
