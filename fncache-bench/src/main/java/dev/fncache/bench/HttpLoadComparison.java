package dev.fncache.bench;

import dev.fncache.examples.VoiceFunctions;
import dev.fncache.examples.VoiceFunctions.AnsweredCall;
import dev.fncache.examples.VoiceFunctions.IncomingCall;
import dev.fncache.runtime.FunctionServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Requests per second for {@code POST /ice} then {@code POST /pie} of the same call, through the
 * memory backend, next to twin handlers that read the same JSON and answer the same shape without
 * touching the cache; one server, one run, load from {@code wrk} on loopback. Each wrk thread
 * drives one connection, so a call's /pie always follows its /ice.
 * Arguments: {@code --seconds N} per measurement (default 10).
 */
public final class HttpLoadComparison {
    private static final Pattern REQUESTS_PER_SECOND = Pattern.compile("Requests/sec:\\s+([0-9.]+)");
    private static final Pattern NON_2XX = Pattern.compile("Non-2xx or 3xx responses: (\\d+)");

    private HttpLoadComparison() {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length == 2 && args[0].equals("--seconds") ? Integer.parseInt(args[1]) : 10;
        VoiceFunctions functions = new VoiceFunctions(Clock.systemUTC(), VoiceFunctions::slowDirectory);
        try (FunctionServer server = FunctionServer.builder().name("load").host("127.0.0.1").port(0)
                .cacheUrl("memory:load-" + UUID.randomUUID())
                .handler("ice", functions::ice)
                .handler("pie", functions::pie)
                .handler("ice-plain", (context, request) -> {
                    IncomingCall call = request.bodyAs(IncomingCall.class);
                    return new VoiceFunctions.Stored("session:" + call.callid(), 600);
                })
                .handler("pie-plain", (context, request) -> {
                    AnsweredCall call = request.bodyAs(AnsweredCall.class);
                    return new VoiceFunctions.Answered(call.callid(), "+46701234567", 0);
                })
                .start()) {
            String base = "http://127.0.0.1:" + server.port();
            run(base, "ice", "pie", 3, 2);
            run(base, "ice-plain", "pie-plain", 3, 2);
            List<String> table = new ArrayList<>();
            table.add("| handlers | wrk threads = connections | requests/s | non-2xx |");
            table.add("|---|---|---:|---:|");
            for (int connections : new int[] {2, 8}) {
                for (String[] pair : new String[][] {{"ice", "pie"}, {"ice-plain", "pie-plain"}}) {
                    double[] result = run(base, pair[0], pair[1], seconds, connections);
                    table.add(String.format(Locale.ROOT, "| /%s then /%s%s | %d | %,.0f | %.0f |", pair[0], pair[1],
                            pair[0].equals("ice") ? " (memory cache)" : " (no cache)", connections, result[0], result[1]));
                }
            }
            System.out.println(String.join("\n", table));
        }
    }

    /** Runs wrk and returns requests per second and the count of non-2xx answers. */
    private static double[] run(String base, String ice, String pie, int seconds, int connections)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("ice-then-pie", ".lua");
        Files.writeString(script, """
                local counter = 0
                local prefix = tostring(math.random(1, 1000000000))
                request = function()
                  counter = counter + 1
                  local call = prefix .. "-" .. math.floor((counter + 1) / 2)
                  if counter % 2 == 1 then
                    return wrk.format("POST", "/ICE", {["Content-Type"] = "application/json"},
                      '{"callid":"' .. call .. '","cli":"+46701234567"}')
                  end
                  return wrk.format("POST", "/PIE", {["Content-Type"] = "application/json"}, '{"callid":"' .. call .. '"}')
                end
                """.replace("/ICE", "/" + ice).replace("/PIE", "/" + pie));
        Process wrk = new ProcessBuilder("wrk", "-t" + connections, "-c" + connections, "-d" + seconds + "s", "-s", script.toString(), base)
                .redirectErrorStream(true).start();
        String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (wrk.waitFor() != 0) {
            throw new IllegalStateException("wrk failed: " + output);
        }
        Matcher rate = REQUESTS_PER_SECOND.matcher(output);
        if (!rate.find()) {
            throw new IllegalStateException("no Requests/sec in wrk's output: " + output);
        }
        Matcher failures = NON_2XX.matcher(output);
        return new double[] {Double.parseDouble(rate.group(1)), failures.find() ? Double.parseDouble(failures.group(1)) : 0};
    }
}
