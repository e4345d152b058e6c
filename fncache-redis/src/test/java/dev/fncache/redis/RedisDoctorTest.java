package dev.fncache.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.fncache.CacheCheck;
import dev.fncache.FunctionCaches;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** {@code FunctionCaches.doctor} on a server set up by the recipe: a good tenant passes, misconfigured ones fail with why. */
@Tag("real-process")
class RedisDoctorTest {
    private static RedisServerProcess server;

    @BeforeAll
    static void startTheRecipesServer() throws Exception {
        RedisServerProcess.requireRedisServer();
        server = RedisServerProcess.start("--aclfile",
                DeployRecipe.aclFile(Files.createTempDirectory("fncache-doctor"), "alpha").toString());
        DeployRecipe.loadLibrary(server);
        assertThat(server.cli("--user", "ops", "--pass", DeployRecipe.OPERATOR_PASSWORD, "ACL", "SETUSER", "fn-wide", "on",
                ">wide-pw", "~*", "&*", "+@all")).contains("OK");
    }

    @AfterAll
    static void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static Map<String, CacheCheck> doctor(String user, String password, String namespace) {
        return doctor(user, password, namespace, "");
    }

    private static Map<String, CacheCheck> doctor(String user, String password, String namespace, String options) {
        List<CacheCheck> checks = FunctionCaches.doctor("redis://" + user + ":" + password + "@127.0.0.1:" + server.port()
                + options, namespace);
        System.out.println("doctor as " + user + ":");
        checks.forEach(check -> System.out.println("  " + check));
        return checks.stream().collect(Collectors.toMap(CacheCheck::name, check -> check, (a, b) -> a,
                java.util.LinkedHashMap::new));
    }

    @Test
    void aTenantMadeByTheRecipePassesEveryCheckItMayRun() {
        Map<String, CacheCheck> checks = doctor("fn-alpha", "alpha-pw", "alpha");
        assertThat(checks.values()).noneMatch(check -> check.status() == CacheCheck.Status.FAIL);
        assertThat(checks).containsKeys("opens", "write, read, delete", "function library fncache_v6",
                "confined to its namespace", "CLIENT refused", "EVAL refused", "FUNCTION refused", "SCAN refused");
        assertThat(checks.get("maxmemory-policy").status()).as("the recipe's users may not read the configuration")
                .isEqualTo(CacheCheck.Status.SKIP);
        assertThat(checks.values().stream().map(CacheCheck::toString)).noneMatch(line -> line.contains("alpha-pw"));
    }

    @Test
    void aTenantThatMayDoEverythingFailsConfinementAndTheRefusalsAndSeesTheServersSetUp() {
        Map<String, CacheCheck> checks = doctor("fn-wide", "wide-pw", "wide");
        for (String name : List.of("confined to its namespace", "CLIENT refused", "EVAL refused", "FUNCTION refused",
                "SCAN refused")) {
            assertThat(checks.get(name).status()).as(name).isEqualTo(CacheCheck.Status.FAIL);
            assertThat(checks.get(name).detail()).contains("fncache-acl-user");
        }
        assertThat(checks.get("function library fncache_v6").status()).isEqualTo(CacheCheck.Status.PASS);
        assertThat(checks.get("persistence").status()).as("the test server runs without an append-only file")
                .isEqualTo(CacheCheck.Status.FAIL);
        assertThat(checks.get("persistence").detail()).contains("appendonly yes");
    }

    @Test
    void aNearCacheIsCheckedForItsOwnChannelOnlyAndAnOlderUserLineFails() {
        assertThat(doctor("fn-alpha", "alpha-pw", "alpha")).doesNotContainKey("near cache channel");
        Map<String, CacheCheck> recipe = doctor("fn-alpha", "alpha-pw", "alpha", "?nearCache=100");
        assertThat(recipe.get("near cache channel").status()).isEqualTo(CacheCheck.Status.PASS);
        Map<String, CacheCheck> wide = doctor("fn-wide", "wide-pw", "wide", "?nearCache=100");
        assertThat(wide.get("near cache channel").status()).isEqualTo(CacheCheck.Status.FAIL);
        assertThat(wide.get("near cache channel").detail()).contains("another namespace's channel");
        setUser(DeployRecipe.aclUser("old", "old-pw").replace(" &fncache:{old}:changes", "")
                .replace(" +spublish +ssubscribe +sunsubscribe", "").replaceFirst("#[0-9a-f]{64}", ">old-pw"));
        Map<String, CacheCheck> older = doctor("fn-old", "old-pw", "old", "?nearCache=100");
        assertThat(older.get("near cache channel").status()).isEqualTo(CacheCheck.Status.FAIL);
        assertThat(older.get("near cache channel").detail()).contains("near cache serves nothing", "fncache-acl-user");
        setUser(DeployRecipe.aclUser("five", "five-pw").replace(" (~fncache:{five}:near +set +pexpire)", "")
                .replaceFirst("#[0-9a-f]{64}", ">five-pw"));
        Map<String, CacheCheck> fncacheV5Line = doctor("fn-five", "five-pw", "five", "?nearCache=100");
        assertThat(fncacheV5Line.get("near cache channel").status()).isEqualTo(CacheCheck.Status.FAIL);
        assertThat(fncacheV5Line.get("near cache channel").detail())
                .contains("may not keep its namespace's key fncache:{NAMESPACE}:near", "fncache-acl-user");
    }

    /** Makes the user an ACL file line describes, through the operator. */
    private void setUser(String line) {
        assertThat(line).startsWith("user ");
        List<String> setUser = new java.util.ArrayList<>(List.of("--user", "ops", "--pass", DeployRecipe.OPERATOR_PASSWORD,
                "ACL", "SETUSER"));
        java.util.regex.Matcher rule = java.util.regex.Pattern.compile("\\([^)]*\\)|\\S+").matcher(line.substring("user ".length()));
        while (rule.find()) {
            setUser.add(rule.group());
        }
        assertThat(server.cli(setUser.toArray(String[]::new))).contains("OK");
    }

    @Test
    void aWrongPasswordFailsTheFirstCheckAndStopsThere() {
        Map<String, CacheCheck> checks = doctor("fn-alpha", "not-the-password", "alpha");
        assertThat(checks).containsOnlyKeys("opens");
        assertThat(checks.get("opens").status()).isEqualTo(CacheCheck.Status.FAIL);
        assertThat(checks.get("opens").detail()).contains("authentication failed").doesNotContain("not-the-password");
    }

    @Test
    void aServerWithoutTheLibraryFailsTheLibraryCheckNamingTheScriptThatLoadsIt() throws Exception {
        try (RedisServerProcess withoutLibrary = RedisServerProcess.start("--aclfile",
                DeployRecipe.aclFile(Files.createTempDirectory("fncache-doctor-bare"), "alpha").toString())) {
            List<CacheCheck> checks = FunctionCaches.doctor("redis://fn-alpha:alpha-pw@127.0.0.1:" + withoutLibrary.port(),
                    "alpha");
            checks.forEach(check -> System.out.println("  without the library: " + check));
            Map<String, CacheCheck> byName = checks.stream().collect(Collectors.toMap(CacheCheck::name, c -> c));
            assertThat(byName.get("function library fncache_v6").status()).isEqualTo(CacheCheck.Status.FAIL);
            assertThat(byName.get("function library fncache_v6").detail()).contains("fncache-load-library");
            assertThat(byName.get("write, read, delete").status()).isEqualTo(CacheCheck.Status.FAIL);
            assertThat(byName.get("confined to its namespace").status()).isEqualTo(CacheCheck.Status.PASS);
        }
    }
}
