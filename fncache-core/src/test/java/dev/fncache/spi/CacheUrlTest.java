package dev.fncache.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class CacheUrlTest {

    @Test
    void splitsSchemeAndRest() {
        CacheUrl url = CacheUrl.parse("SQLite:./data/cache.db");
        assertThat(url.scheme()).isEqualTo("sqlite");
        assertThat(url.rest()).isEqualTo("./data/cache.db");
    }

    @Test
    void toStringHidesEveryFormOfPassword() {
        assertThat(CacheUrl.parse("redis://app:pa55@host:6379/0").toString()).isEqualTo("redis://app:***@host:6379/0");
        assertThat(CacheUrl.parse("redis://pa55@host:6379").toString()).isEqualTo("redis://:***@host:6379");
        assertThat(CacheUrl.parse("redis://:pa55@host").toString()).isEqualTo("redis://:***@host");
        assertThat(CacheUrl.parse("rediss://host:6380?password=pa55&timeout=2s").toString())
                .isEqualTo("rediss://host:6380?password=***&timeout=2s");
        assertThat(CacheUrl.parse("redis-cluster://u:p%40ss@h1:7000,h2:7001").toString())
                .isEqualTo("redis-cluster://u:***@h1:7000,h2:7001");
        assertThat(CacheUrl.parse("redis://app:pa55@host").rest()).contains("pa55");
    }

    @Test
    void passwordWithSlashHashQuestionMarkOrAtIsFoundByTheLastAtAndNeverPrinted() {
        for (String password : List.of("S3cr3t/Pa55w0rd=", "S3cr3t#Pa55w0rd", "S3cr3t@Pa55w0rd", "S3cr3t?Pa55w0rd",
                "S3cr3t:Pa55@w0rd/#?")) {
            CacheUrl url = CacheUrl.parse("redis://fn-x:" + password + "@host:6379/0?timeout=2s");
            assertThat(url.toString()).isEqualTo("redis://fn-x:***@host:6379/0?timeout=2s");
            assertThat(url.user()).isEqualTo("fn-x");
            assertThat(url.password()).isEqualTo(password);
            assertThat(url.restWithoutUserInfo()).isEqualTo("//host:6379/0?timeout=2s");
        }
        CacheUrl lone = CacheUrl.parse("redis://S3cr3t/Pa55#w0rd@host");
        assertThat(lone.user()).isNull();
        assertThat(lone.password()).isEqualTo("S3cr3t/Pa55#w0rd");
        assertThat(lone.toString()).isEqualTo("redis://:***@host");
    }

    @Test
    void percentEncodedUserInfoIsDecodedAsRfc3986SaysAndAPlusStaysAPlus() {
        CacheUrl url = CacheUrl.parse("redis://fn%2Dx:a%2Fb%23c%40d%3Fe%25f+g%C3%A9@host");
        assertThat(url.user()).isEqualTo("fn-x");
        assertThat(url.password()).isEqualTo("a/b#c@d?e%f+g\u00e9");
        assertThat(url.toString()).isEqualTo("redis://fn%2Dx:***@host");
    }

    @Test
    void malformedPercentEscapeInThePasswordIsRefusedWithoutShowingIt() {
        assertThatThrownBy(() -> CacheUrl.parse("redis://u:S3cr3t%zz@host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("password must write '%' only as the start of a percent escape")
                .hasMessageContaining("redis://u:***@host")
                .hasMessageNotContaining("S3cr3t");
        assertThatThrownBy(() -> CacheUrl.parse("redis://u:S3cr3t%FF@host"))
                .hasMessageContaining("not valid UTF-8")
                .hasMessageNotContaining("S3cr3t");
    }

    @Test
    void urlThatFailsToParseIsShownWithoutItsPassword() {
        assertThatThrownBy(() -> CacheUrl.parse("1redis://fn-x:S3cr3t/Pa55w0rd=@host"))
                .hasMessageContaining("'1redis://fn-x:***@host'")
                .hasMessageNotContaining("S3cr3t");
        assertThat(CacheUrl.parse("fn-x:S3cr3t#Pa55@host").toString()).isEqualTo("fn-x::***@host");
    }

    @Property(tries = 2_000)
    void noPasswordEverAppearsInToString(@ForAll("passwords") String password) {
        String secret = "Zq9" + password;
        for (String url : List.of("redis://fn-x:" + secret + "@host:6379", "redis://" + secret.replace(":", "%3A") + "@host",
                "rediss://fn-x:" + secret + "@host/0?timeout=1s", "redis-cluster://fn-x:" + secret + "@h1:7000,h2:7001",
                "1bad://fn-x:" + secret + "@host", "redis:fn-x:" + secret + "@host")) {
            String shown;
            try {
                shown = CacheUrl.parse(url).toString();
            } catch (IllegalArgumentException refused) {
                shown = refused.getMessage();
            }
            assertThat(shown).doesNotContain("Zq9");
        }
    }

    @Provide
    Arbitrary<String> passwords() {
        return Arbitraries.strings().withChars("aZ09/#?@:%+=&;, ~!$'()*[]").ofMinLength(0).ofMaxLength(24);
    }

    @Test
    void rejectsAUrlWithoutAScheme() {
        assertThatThrownBy(() -> CacheUrl.parse("./data/cache.db")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CacheUrl.parse("1redis://host")).hasMessageContaining("must start with a scheme");
        assertThatThrownBy(() -> CacheUrl.parse(null)).hasMessageContaining("was null");
    }
}
