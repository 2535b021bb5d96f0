package dev.forkwise.bindings;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every native call goes through the bindings layer: no other package links, looks up symbols,
 * reinterprets raw addresses or suppresses restricted-method warnings.
 */
class NativeCallConfinementTest {

    private static final Pattern RESTRICTED = Pattern.compile(
            "\\bLinker\\b|downcallHandle|upcallStub|SymbolLookup|\\.reinterpret\\(|\"restricted\"|\"v?fork\"");

    @Test
    void onlyTheBindingsPackageTouchesTheLinker() throws IOException {
        List<String> offenders;
        try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
            offenders = sources
                    .filter(path -> path.toString().endsWith(".java"))
                    .filter(path -> !path.startsWith(Path.of("src", "main", "java", "dev", "forkwise", "bindings")))
                    .filter(NativeCallConfinementTest::mentionsRestrictedApi)
                    .map(Path::toString)
                    .toList();
        }
        assertThat(offenders).isEmpty();
    }

    private static boolean mentionsRestrictedApi(Path source) {
        try {
            return RESTRICTED.matcher(Files.readString(source)).find();
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }
}
