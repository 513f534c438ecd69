package dev.keystore.operator.testing;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Real JDK TLS peers built from keystore bytes: a server on loopback that answers each connection
 * with one line, and a client that verifies the server's host name (endpoint identification HTTPS).
 */
public final class TlsPeers {
    private TlsPeers() {
    }

    public static KeyStore load(byte[] bytes, String type, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance(type);
        ks.load(new ByteArrayInputStream(bytes), password);
        return ks;
    }

    public static SSLContext context(KeyStore keys, char[] keyPassword, KeyStore trust) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        KeyManagerFactory kmf = null;
        if (keys != null) {
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(keys, keyPassword);
        }
        TrustManagerFactory tmf = null;
        if (trust != null) {
            tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trust);
        }
        context.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
        return context;
    }

    /** A TLS server on 127.0.0.1 answering "hello <client CN or anonymous>" to every connection. */
    public static final class Server implements AutoCloseable {
        private final SSLServerSocket socket;
        private final Thread thread;
        public final AtomicInteger served = new AtomicInteger();

        public Server(SSLContext context, boolean needClientAuth) throws IOException {
            socket = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(0, 50,
                InetAddress.getLoopbackAddress());
            socket.setNeedClientAuth(needClientAuth);
            thread = new Thread(this::serve, "tls-test-server");
            thread.setDaemon(true);
            thread.start();
        }

        public int port() {
            return socket.getLocalPort();
        }

        private void serve() {
            while (!socket.isClosed()) {
                try (SSLSocket s = (SSLSocket) socket.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    String who = "anonymous";
                    try {
                        var peer = s.getSession().getPeerPrincipal();
                        who = peer.getName();
                    } catch (javax.net.ssl.SSLPeerUnverifiedException e) {
                        // no client certificate
                    }
                    // read one line (openssl s_client sends nothing until stdin closes: do not wait long)
                    OutputStream out = s.getOutputStream();
                    out.write(("hello " + who + "\n").getBytes(StandardCharsets.UTF_8));
                    out.flush();
                    served.incrementAndGet();
                } catch (IOException e) {
                    // a refused handshake: the client sees it
                }
            }
        }

        @Override
        public void close() throws IOException {
            socket.close();
        }
    }

    /**
     * An HTTPS GET / over {@link #call}'s connection rules; returns the status line, or throws when
     * no HTTP answer comes back (under TLS 1.3 a refused client certificate surfaces only here).
     */
    public static String httpGet(SSLContext context, String hostName, int port) throws IOException {
        try (SSLSocket s = open(context, hostName, port)) {
            s.getOutputStream().write(("GET / HTTP/1.1\r\nHost: " + hostName + "\r\nConnection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
            s.getOutputStream().flush();
            String answer = new String(s.getInputStream().readNBytes(64), StandardCharsets.US_ASCII);
            if (!answer.startsWith("HTTP/1.1 ")) {
                throw new IOException("no HTTP answer");
            }
            return answer.lines().findFirst().orElse("");
        }
    }

    /**
     * Connects to 127.0.0.1:port presenting {@code hostName} (SNI) and verifying the server
     * certificate against it; returns the server's line, or throws when the handshake fails.
     */
    public static String call(SSLContext context, String hostName, int port) throws IOException {
        try (SSLSocket s = open(context, hostName, port)) {
            InputStream in = s.getInputStream();
            byte[] line = in.readNBytes(200);
            String text = new String(line, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new IOException("the server closed the connection without answering");
            }
            return text;
        }
    }

    /** A TLS connection to 127.0.0.1:port as {@code hostName} (SNI), the server verified against that name. */
    private static SSLSocket open(SSLContext context, String hostName, int port) throws IOException {
        Socket plain = new Socket();
        plain.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 5_000);
        SSLSocket s = (SSLSocket) context.getSocketFactory().createSocket(plain, hostName, port, true);
        s.setSoTimeout(15_000);
        SSLParameters params = s.getSSLParameters();
        params.setEndpointIdentificationAlgorithm("HTTPS");
        params.setServerNames(List.of(new SNIHostName(hostName)));
        s.setSSLParameters(params);
        try {
            s.startHandshake();
        } catch (IOException e) {
            s.close();
            throw e;
        }
        return s;
    }
}
