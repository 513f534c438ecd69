package dev.keystore.operator.testing;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.util.Collections;
import java.util.HexFormat;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;

/**
 * A Java workload for a real pod (WorkloadPodIT): the JDK alone, run with {@code java -cp} from the compiled
 * test classes in the JRE image. It reads the stores a KeystoreSet's Secret mounts, serves HTTPS with
 * required client certificates (trusting the set's truststore) on 127.0.0.1:$PORT, and answers every
 * request with the SHA-256 of the internal keystore's public key, so a test sees which key the pod holds.
 * The password comes from $KEYSTORE_PASSWORD and is never printed.
 */
public final class HttpsWorkload {
    private HttpsWorkload() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(env("KEYSTORE_DIR", "/etc/keystores"));
        char[] password = System.getenv("KEYSTORE_PASSWORD").toCharArray();
        KeyStore tls = load(dir.resolve(env("TLS_KEYSTORE", "tls.p12")), password);
        KeyStore trust = load(dir.resolve(env("TRUSTSTORE", "truststore.p12")), password);
        String internal = publicKeySha256(load(dir.resolve(env("INTERNAL_KEYSTORE", "internal.p12")), password));
        SSLContext context = TlsPeers.context(tls, password, trust);
        int port = Integer.parseInt(System.getenv("PORT"));
        try (SSLServerSocket server = (SSLServerSocket) context.getServerSocketFactory().createServerSocket(port, 50,
            InetAddress.getLoopbackAddress())) {
            server.setNeedClientAuth(true);
            System.out.println("serving mTLS on 127.0.0.1:" + port + ", internal key sha256 " + internal);
            while (true) {
                try (SSLSocket s = (SSLSocket) server.accept()) {
                    s.setSoTimeout(10_000);
                    s.startHandshake();
                    readHeaders(s.getInputStream());
                    OutputStream out = s.getOutputStream();
                    out.write(("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n"
                        + "internal-key-sha256=" + internal + "\n").getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                } catch (IOException e) {
                    // a probe's bare TCP connection, or a refused client: the next one is served
                }
            }
        }
    }

    static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isBlank() ? fallback : value;
    }

    static KeyStore load(Path file, char[] password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = new FileInputStream(file.toFile())) {
            ks.load(in, password);
        }
        return ks;
    }

    /** SHA-256 (hex) of the public key of the store's first key entry. */
    public static String publicKeySha256(KeyStore store) throws Exception {
        for (String alias : Collections.list(store.aliases())) {
            if (store.isKeyEntry(alias)) {
                byte[] key = store.getCertificate(alias).getPublicKey().getEncoded();
                return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key));
            }
        }
        throw new IllegalStateException("no key entry");
    }

    /** Reads the request up to the blank line that ends its headers (the request itself does not matter). */
    private static void readHeaders(InputStream in) throws IOException {
        int window = 0;
        for (int i = 0; i < 16_384; i++) {
            int b = in.read();
            if (b < 0) {
                return;
            }
            window = (window << 8) | b;
            if (window == 0x0d0a0d0a) {
                return;
            }
        }
    }
}
