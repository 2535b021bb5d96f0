package dev.forkwise.agent;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The hazard of moving code by hand: a prologue that breaks a branch, a handler, a switch's
 * alignment or a stack map frame makes the class fail verification, or worse, run wrong where it
 * is not verified ({@code ProcessBuilder} is a boot class). Each method of {@link Sample} has one
 * of those shapes; the patched class is loaded by a class loader of its own, so the JVM verifies
 * it, and must answer as the original does while the hook declines, and as the hook when it
 * does not. Invariant 3 of the {@linkplain dev.forkwise.agent package essay}.
 */
class PrologueInjectorTest {

    /** The route every patched method calls, found through the system class loader: {@code null} lets the method's own code run. */
    public static final class Hooks {
        static volatile String answer;

        private Hooks() {
        }

        /** {@return the answer} */
        public static String hook(Object receiverOrFirstArgument) {
            return answer;
        }
    }

    /** One method per shape of code that the prologue moves. */
    @SuppressWarnings("unused")   // called by reflection, on the patched copy
    public static final class Sample {
        public String straight() {
            return "straight";
        }

        public String loop(int n) {
            StringBuilder out = new StringBuilder();
            for (int i = 0; i < n; i++) {
                out.append(i);
            }
            return out.toString();
        }

        public String backToTheStart(int n) {
            int left = n;
            do {
                left--;
            } while (left > 0);
            return "down from " + n + " to " + left;
        }

        public String table(int k) {
            return switch (k) {
                case 0 -> "zero";
                case 1 -> "one";
                case 2 -> "two";
                case 3 -> "three";
                default -> "many";
            };
        }

        public String lookup(int k) {
            return switch (k) {
                case -1000 -> "far below";
                case 7 -> "seven";
                case 100000 -> "far above";
                default -> "elsewhere";
            };
        }

        public String handler(String number) {
            try {
                return "parsed " + Integer.parseInt(number);
            } catch (NumberFormatException e) {
                return "not a number";
            } finally {
                number = null;
            }
        }

        public String uninitialized(boolean yes) {
            return new StringBuilder(yes ? "yes" : "no").append('!').toString();
        }

        public static String firstArgument(List<String> words) {
            String longest = "";
            for (String word : words) {
                if (word.length() > longest.length()) {
                    longest = word;
                }
            }
            return longest;
        }
    }

    private static final String SAMPLE = Sample.class.getName().replace('.', '/');
    private static final String HOOK = "(Ljava/lang/Object;)Ljava/lang/String;";

    @Test
    void patchedMethodsAnswerAsTheOriginalWhileTheHookDeclines() throws Exception {
        Class<?> patched = patchedSample();
        Object sample = patched.getConstructor().newInstance();
        Sample original = new Sample();
        Hooks.answer = null;

        assertThat(call(patched, sample, "straight")).isEqualTo(original.straight());
        assertThat(call(patched, sample, "loop", 5)).isEqualTo(original.loop(5)).isEqualTo("01234");
        assertThat(call(patched, sample, "backToTheStart", 3)).isEqualTo(original.backToTheStart(3));
        for (int k = -1; k <= 4; k++) {
            assertThat(call(patched, sample, "table", k)).isEqualTo(original.table(k));
        }
        for (int k : new int[] {-1000, 7, 100000, 8}) {
            assertThat(call(patched, sample, "lookup", k)).isEqualTo(original.lookup(k));
        }
        assertThat(call(patched, sample, "handler", "42")).isEqualTo("parsed 42");
        assertThat(call(patched, sample, "handler", "x")).isEqualTo("not a number");
        assertThat(call(patched, sample, "uninitialized", true)).isEqualTo("yes!");
        assertThat(call(patched, sample, "uninitialized", false)).isEqualTo("no!");
        assertThat(call(patched, null, "firstArgument", List.of("a", "abc", "ab"))).isEqualTo("abc");
    }

    @Test
    void patchedMethodsReturnTheHooksAnswerWithoutRunningTheirOwnCode() throws Exception {
        Class<?> patched = patchedSample();
        Object sample = patched.getConstructor().newInstance();
        Hooks.answer = "hooked";
        try {
            assertThat(call(patched, sample, "straight")).isEqualTo("hooked");
            assertThat(call(patched, sample, "loop", 5)).isEqualTo("hooked");
            assertThat(call(patched, sample, "backToTheStart", 3)).isEqualTo("hooked");
            assertThat(call(patched, sample, "table", 2)).isEqualTo("hooked");
            assertThat(call(patched, sample, "lookup", 7)).isEqualTo("hooked");
            assertThat(call(patched, sample, "handler", "x")).isEqualTo("hooked");
            assertThat(call(patched, sample, "uninitialized", true)).isEqualTo("hooked");
            assertThat(call(patched, null, "firstArgument", List.of("a"))).isEqualTo("hooked");
        } finally {
            Hooks.answer = null;
        }
    }

    @Test
    void theRunningJdksProcessBuilderCanBePatched() throws Exception {
        byte[] original = bytes("java/lang/ProcessBuilder.class", Object.class);
        byte[] patched = ProcessBuilderTransformer.patch(original);

        // each method grew by the prologue and its frame; the pool by the route's entries
        assertThat(patched.length).isGreaterThan(original.length + 2 * 36);
        // the patched class parses again, and its methods are where they were
        assertThat(ProcessBuilderTransformer.patch(patched)).isNotEmpty();
    }

    @Test
    void aMissingMethodIsRefusedRatherThanGuessedAt() throws Exception {
        byte[] sample = bytes(SAMPLE + ".class", Sample.class);

        assertThatThrownBy(() -> PrologueInjector.inject(sample, hook("absent", "()Ljava/lang/String;")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("absent");
        assertThatThrownBy(() -> PrologueInjector.inject(sample, hook("straight", "()Ljava/lang/Object;")))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("straight");
    }

    private static Class<?> patchedSample() throws IOException {
        byte[] patched = PrologueInjector.inject(bytes(SAMPLE + ".class", Sample.class),
                hook("straight", "()Ljava/lang/String;"),
                hook("loop", "(I)Ljava/lang/String;"),
                hook("backToTheStart", "(I)Ljava/lang/String;"),
                hook("table", "(I)Ljava/lang/String;"),
                hook("lookup", "(I)Ljava/lang/String;"),
                hook("handler", "(Ljava/lang/String;)Ljava/lang/String;"),
                hook("uninitialized", "(Z)Ljava/lang/String;"),
                hook("firstArgument", "(Ljava/util/List;)Ljava/lang/String;"));
        return new ClassLoader(PrologueInjectorTest.class.getClassLoader()) {
            Class<?> define() {
                return defineClass(Sample.class.getName(), patched, 0, patched.length);
            }
        }.define();
    }

    private static PrologueInjector.Hook hook(String name, String descriptor) {
        return new PrologueInjector.Hook(name, descriptor, Hooks.class.getName(), "hook", HOOK, "java/lang/String");
    }

    private static String call(Class<?> type, Object target, String name, Object... args) throws Exception {
        for (Method method : type.getMethods()) {
            if (method.getName().equals(name)) {
                return (String) method.invoke(target, args);
            }
        }
        throw new NoSuchMethodException(name);
    }

    private static byte[] bytes(String resource, Class<?> beside) throws IOException {
        try (InputStream in = beside.getClassLoader() == null ? ClassLoader.getSystemResourceAsStream(resource)
                : beside.getClassLoader().getResourceAsStream(resource)) {
            assertThat(in).as(resource).isNotNull();
            return in.readAllBytes();
        }
    }
}
