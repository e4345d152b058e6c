package dev.fncache.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Real slow sockets against a real server: clients trickling bodies never take /health's threads. */
class SlowClientTest {
    private static final int SLOW_CLIENTS = 300;

    @Test
    void threeHundredClientsTricklingBodiesLeaveHealthAnsweringWithinASecondAndGet408() throws Exception {
        FunctionServer server = FunctionServer.builder().name("slow-" + UUID.randomUUID().toString().substring(0, 8))
                .cacheUrl("memory:slow-" + UUID.randomUUID()).host("127.0.0.1").port(0)
                .bodyTimeout(Duration.ofSeconds(4))
                .handler("echo", (context, request) -> request.body().length)
                .start();
        ExecutorService clients = Executors.newFixedThreadPool(SLOW_CLIENTS);
        AtomicInteger timedOut = new AtomicInteger();
        try {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
            HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                    .timeout(Duration.ofSeconds(1)).build();
            assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).as("before the attack").isEqualTo(200);
            for (int i = 0; i < SLOW_CLIENTS; i++) {
                clients.submit(() -> trickle(server.port(), timedOut));
            }
            long slowest = 0;
            long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(6);
            int answered = 0;
            while (System.nanoTime() < until) {
                long started = System.nanoTime();
                assertThat(http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(200);
                slowest = Math.max(slowest, System.nanoTime() - started);
                answered++;
                Thread.sleep(100);
            }
            assertThat(Duration.ofNanos(slowest)).as("the slowest of %d /health answers during the attack", answered)
                    .isLessThan(Duration.ofSeconds(1));
            clients.shutdown();
            assertThat(clients.awaitTermination(30, TimeUnit.SECONDS)).isTrue();
            assertThat(timedOut).as("slow clients answered 408 at the body deadline").hasValue(SLOW_CLIENTS);
            HttpRequest post = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                    .POST(HttpRequest.BodyPublishers.ofString("{\"a\":1}")).build();
            assertThat(http.send(post, HttpResponse.BodyHandlers.ofString()).body()).isEqualTo("7");
        } finally {
            clients.shutdownNow();
            server.close();
        }
    }

    /** Declares a 1,000-byte body and sends one byte every 500 ms; records a 408 answer. */
    private static Void trickle(int port, AtomicInteger timedOut) throws IOException, InterruptedException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /echo HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Content-Length: 1000\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            for (int i = 0; i < 1_000; i++) {
                try {
                    out.write('x');
                    out.flush();
                } catch (IOException closedByServer) {
                    break;
                }
                if (in.available() > 0) {
                    break;
                }
                Thread.sleep(500);
            }
            byte[] head = in.readNBytes(12);
            if (new String(head, StandardCharsets.US_ASCII).startsWith("HTTP/1.1 408")) {
                timedOut.incrementAndGet();
            }
        }
        return null;
    }
}
