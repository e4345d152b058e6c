package dev.fncache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Example;

/** The glob matcher against an independent regex translation, and its edge cases. */
class GlobPatternTest {
    private static final String TELEPHONE = "\uD83D\uDCDE";

    @Provide
    Arbitrary<String> patterns() {
        return Arbitraries.of("a", "b", "z", "*", "?", "[", "]", "^", "-", "\\", "\u00e9", TELEPHONE, ":")
                .list().ofMaxSize(10).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> keys() {
        return Arbitraries.of("a", "b", "z", "*", "?", "[", "]", "^", "-", "\\", "\u00e9", TELEPHONE, ":")
                .list().ofMaxSize(8).map(parts -> String.join("", parts));
    }

    @Property(tries = 5_000)
    void matcherAgreesWithTheRegexOracle(@ForAll("patterns") String pattern, @ForAll("keys") String key) {
        RegexGlobOracle oracle;
        try {
            oracle = RegexGlobOracle.of(pattern);
        } catch (IllegalArgumentException malformed) {
            assertThatThrownBy(() -> GlobPattern.compile(pattern)).isInstanceOf(IllegalArgumentException.class);
            return;
        }
        assertThat(GlobPattern.compile(pattern).matches(key))
                .as("pattern %s against key %s", pattern, key)
                .isEqualTo(oracle.matches(key));
    }

    @Provide
    Arbitrary<String> twoLetterPatterns() {
        return Arbitraries.of("a", "b", "*", "?", "[ab]", "[^a]").list().ofMaxSize(12).map(parts -> String.join("", parts));
    }

    @Provide
    Arbitrary<String> twoLetterKeys() {
        return Arbitraries.strings().withChars("ab").ofMaxLength(14);
    }

    /** A small alphabet makes matches common, so stars, segments and their order are really exercised. */
    @Property(tries = 10_000)
    void matcherAgreesWithTheRegexOracleWhereMatchesAreCommon(@ForAll("twoLetterPatterns") String pattern,
            @ForAll("twoLetterKeys") String key) {
        assertThat(GlobPattern.compile(pattern).matches(key)).as("pattern %s against key %s", pattern, key)
                .isEqualTo(RegexGlobOracle.of(pattern).matches(key));
    }

    @Example
    void segmentsLongerThanOneMachineWordMatchLikeTheOracle() {
        String longRun = "a".repeat(100) + "?" + "[ab]".repeat(30) + "b";
        for (String pattern : List.of("*" + longRun, longRun + "*", "*" + longRun + "*", "a*" + longRun + "*b")) {
            for (String key : List.of("a".repeat(300), "a".repeat(150) + "b".repeat(40), "a".repeat(100) + "c"
                    + "a".repeat(30) + "b", "b" + "a".repeat(200) + "xbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb")) {
                assertThat(GlobPattern.compile(pattern).matches(key)).as("pattern %s against key %s", pattern, key)
                        .isEqualTo(RegexGlobOracle.of(pattern).matches(key));
            }
        }
    }

    @Example
    void pathologicalPatternIsMatchedInLinearTime() {
        GlobPattern pattern = GlobPattern.compile("*" + "a".repeat(500) + "b");
        String key = "a".repeat(1000);
        long started = System.nanoTime();
        for (int i = 0; i < 20_000; i++) {
            assertThat(pattern.matches(key)).isFalse();
        }
        assertThat(java.time.Duration.ofNanos(System.nanoTime() - started)).as("20,000 keys of 1,000 characters")
                .isLessThan(java.time.Duration.ofSeconds(2));
    }

    @Example
    void patternLongerThanTheLongestKeyIsRefused() {
        assertThat(GlobPattern.compile("*".repeat(1024)).matches("x")).isTrue();
        assertThatThrownBy(() -> GlobPattern.compile("a".repeat(1025)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("pattern must be at most 1024 bytes of UTF-8 (the longest key), but was 1025 bytes");
    }

    @Property(tries = 2_000)
    void everyMatchStartsWithTheLiteralPrefix(@ForAll("patterns") String pattern, @ForAll("keys") String key) {
        GlobPattern glob;
        try {
            glob = GlobPattern.compile(pattern);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        if (glob.matches(key)) {
            assertThat(key).startsWith(glob.literalPrefix());
            if (glob.isLiteral()) {
                assertThat(key).isEqualTo(glob.literalPrefix());
            }
        }
    }

    @Property(tries = 2_000)
    void escapingEveryCharacterMatchesExactlyThatKey(@ForAll("keys") String key, @ForAll("keys") String other) {
        StringBuilder escaped = new StringBuilder();
        key.codePoints().forEach(c -> escaped.append('\\').appendCodePoint(c));
        GlobPattern glob = GlobPattern.compile(escaped.toString());
        assertThat(glob.isLiteral()).isTrue();
        assertThat(glob.literalPrefix()).isEqualTo(key);
        assertThat(glob.matches(key)).isTrue();
        assertThat(glob.matches(other)).isEqualTo(other.equals(key));
    }

    @Example
    void escapedStarMatchesOnlyAStar() {
        GlobPattern glob = GlobPattern.compile("\\*");
        assertThat(glob.matches("*")).isTrue();
        assertThat(glob.matches("a")).isFalse();
        assertThat(glob.matches("")).isFalse();
    }

    @Example
    void negatedClassMatchesAnyOneOtherCharacter() {
        GlobPattern glob = GlobPattern.compile("[^a]");
        assertThat(glob.matches("b")).isTrue();
        assertThat(glob.matches(TELEPHONE)).isTrue();
        assertThat(glob.matches("a")).isFalse();
        assertThat(glob.matches("bb")).isFalse();
    }

    @Example
    void trailingDashInAClassIsLiteral() {
        GlobPattern glob = GlobPattern.compile("[a-]");
        assertThat(glob.matches("a")).isTrue();
        assertThat(glob.matches("-")).isTrue();
        assertThat(glob.matches("b")).isFalse();
    }

    @Example
    void closingBracketFirstInAClassIsLiteral() {
        assertThat(GlobPattern.compile("[]]").matches("]")).isTrue();
        assertThat(GlobPattern.compile("[]a]").matches("a")).isTrue();
        assertThat(GlobPattern.compile("[^]]").matches("]")).isFalse();
        assertThat(GlobPattern.compile("[^]]").matches("x")).isTrue();
    }

    @Example
    void reversedRangeIsSwappedAsRedisDoes() {
        assertThat(GlobPattern.compile("[z-a]").matches("m")).isTrue();
    }

    @Example
    void questionMarkMatchesOneMultiByteCharacter() {
        assertThat(GlobPattern.compile("?").matches(TELEPHONE)).isTrue();
        assertThat(GlobPattern.compile("?").matches("\u00e9")).isTrue();
        assertThat(GlobPattern.compile("??").matches(TELEPHONE)).isFalse();
        assertThat(GlobPattern.compile("[" + TELEPHONE + "]").matches(TELEPHONE)).isTrue();
    }

    @Example
    void keysContainingGlobSyntaxMatchLiterally() {
        assertThat(GlobPattern.compile("a\\[b*").matches("a[bc")).isTrue();
        assertThat(GlobPattern.compile("a\\\\*").matches("a\\x")).isTrue();
        assertThat(GlobPattern.compile("*\\**").matches("x*y")).isTrue();
        assertThat(GlobPattern.compile("*\\**").matches("xy")).isFalse();
        assertThat(GlobPattern.compile("[\\]]").matches("]")).isTrue();
    }

    @Example
    void literalPrefixStopsAtTheFirstWildcard() {
        assertThat(GlobPattern.compile("session:*").literalPrefix()).isEqualTo("session:");
        assertThat(GlobPattern.compile("a\\*b?").literalPrefix()).isEqualTo("a*b");
        assertThat(GlobPattern.compile("[a]bc").literalPrefix()).isEmpty();
        assertThat(GlobPattern.compile("exact").isLiteral()).isTrue();
        assertThat(GlobPattern.compile("session:*").isLiteral()).isFalse();
    }

    @Property(tries = 2_000)
    void everyMatchLiesInTheLiteralPrefixByteRange(@ForAll("patterns") String pattern, @ForAll("keys") String key) {
        GlobPattern glob;
        try {
            glob = GlobPattern.compile(pattern);
        } catch (IllegalArgumentException malformed) {
            return;
        }
        if (glob.matches(key)) {
            byte[] bytes = key.getBytes(java.nio.charset.StandardCharsets.UTF_8);
            assertThat(java.util.Arrays.compareUnsigned(bytes, glob.literalPrefixUtf8())).isGreaterThanOrEqualTo(0);
            assertThat(java.util.Arrays.compareUnsigned(bytes, glob.literalPrefixUtf8End())).isLessThan(0);
        }
    }

    @Example
    void manyStarsDoNotBacktrackExponentially() {
        GlobPattern glob = GlobPattern.compile("*a*a*a*a*a*a*a*a*a*b");
        long started = System.nanoTime();
        assertThat(glob.matches("a".repeat(1_000))).isFalse();
        assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
    }

    @Example
    void malformedPatternsNameTheProblem() {
        assertThatThrownBy(() -> GlobPattern.compile("[abc")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> GlobPattern.compile("[]")).hasMessageContaining("never closed");
        assertThatThrownBy(() -> GlobPattern.compile("[a-\\")).hasMessageContaining("unescaped");
        assertThatThrownBy(() -> GlobPattern.compile("ab\\")).hasMessageContaining("unescaped");
    }
}
