package dev.keystore.operator.testing;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/** Hostile ASN.1 and key store bytes shared by the bound tests: deep nesting, PEM where DER belongs. */
public final class HostileDer {
    private HostileDer() {
    }

    /** {@code depth} SEQUENCEs in SEQUENCEs with definite lengths around {@code core}, built in one pass. */
    public static byte[] nestedDefinite(int depth, byte[] core) {
        int[] lengths = new int[depth];
        int inner = core.length;
        for (int i = depth - 1; i >= 0; i--) {
            lengths[i] = inner;
            inner += 2 + (inner < 128 ? 0 : inner < 256 ? 1 : inner < 65536 ? 2 : 3);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(inner);
        for (int i = 0; i < depth; i++) {
            out.write(0x30);
            writeLength(out, lengths[i]);
        }
        out.writeBytes(core);
        return out.toByteArray();
    }

    /** {@code depth} SEQUENCEs with indefinite lengths, followed by as many zero bytes (end-of-contents octets). */
    public static byte[] nestedIndefinite(int depth) {
        byte[] out = new byte[depth * 4];
        for (int i = 0; i < depth; i++) {
            out[2 * i] = 0x30;
            out[2 * i + 1] = (byte) 0x80;
        }
        return out;
    }

    /** A DER length: short form below 128, else 1 to 3 length bytes. */
    public static void writeLength(ByteArrayOutputStream out, int l) {
        if (l < 128) {
            out.write(l);
        } else if (l < 256) {
            out.write(0x81);
            out.write(l);
        } else if (l < 65536) {
            out.write(0x82);
            out.write(l >> 8);
            out.write(l);
        } else {
            out.write(0x83);
            out.write(l >> 16);
            out.write(l >> 8);
            out.write(l);
        }
    }

    public static byte[] pem(String type, byte[] der) {
        return ("-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
            + "-----\n").getBytes(StandardCharsets.US_ASCII);
    }

    /** A JKS (version 2) with one trusted-certificate entry whose encoded certificate is {@code certificate}, as is. */
    public static byte[] jksWithRawCertificate(byte[] certificate) {
        ByteArrayOutputStream jks = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(jks)) {
            out.writeInt(0xfeedfeed);
            out.writeInt(2);
            out.writeInt(1);
            out.writeInt(2);
            out.writeUTF("a");
            out.writeLong(0);
            out.writeUTF("X.509");
            out.writeInt(certificate.length);
            out.write(certificate);
            out.write(new byte[20]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return jks.toByteArray();
    }
}
