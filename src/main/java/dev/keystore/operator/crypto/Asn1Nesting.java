package dev.keystore.operator.crypto;

import java.util.ArrayDeque;
import java.util.Deque;

/**
 * How deep the DER/BER in some bytes nests, found without recursion. Bouncy Castle's ASN.1 parser
 * recurses once per level and overflows its stack on input nested a few thousand levels deep, so
 * every untrusted encoding is measured here before Bouncy Castle sees it. Values inside OCTET and
 * BIT STRINGs (extension values, public keys, PKCS12 contents) are measured too, as parsers
 * decode them later. Real certificates and keystores nest less than 40 levels.
 */
public final class Asn1Nesting {
    /** The deepest nesting accepted anywhere. */
    public static final int MAX_DEPTH = 64;
    private static final int OCTET_STRING = 0x04;
    private static final int BIT_STRING = 0x03;

    private Asn1Nesting() {
    }

    private record Region(int start, int end, int depth) {
    }

    /**
     * Whether the bytes nest no deeper than {@link #MAX_DEPTH}. Malformed encodings are not refused
     * here (the parser refuses them), only measured as far as they read.
     */
    public static boolean withinBound(byte[] bytes) {
        return depth(bytes, MAX_DEPTH) <= MAX_DEPTH;
    }

    /** The nesting depth, counted up to {@code limit + 1} (then the scan stops). */
    static int depth(byte[] b, int limit) {
        Deque<Region> work = new ArrayDeque<>();
        work.push(new Region(0, b.length, 0));
        int deepest = 0;
        while (!work.isEmpty()) {
            Region r = work.pop();
            int reached = scan(b, r, limit, work);
            deepest = Math.max(deepest, reached);
            if (deepest > limit) {
                return deepest;
            }
        }
        return deepest;
    }

    /** One region, iteratively: a stack of the ends of the constructed values it is in. */
    private static int scan(byte[] b, Region r, int limit, Deque<Region> work) {
        int[] ends = new int[limit + 2];
        boolean[] indefinite = new boolean[limit + 2];
        int sp = 0;
        int pos = r.start;
        int deepest = r.depth;
        while (pos < r.end) {
            while (sp > 0 && !indefinite[sp - 1] && pos >= ends[sp - 1]) {
                sp--;
            }
            int end = sp > 0 ? ends[sp - 1] : r.end;
            if (pos + 2 > end) {
                return deepest;
            }
            int tag = b[pos++] & 0xff;
            if ((tag & 0x1f) == 0x1f) { // high tag number: base-128 digits
                int digits = 0;
                while (pos < end && (b[pos] & 0x80) != 0 && digits++ < 4) {
                    pos++;
                }
                pos++;
                if (pos >= end) {
                    return deepest;
                }
            }
            int first = b[pos++] & 0xff;
            if (tag == 0 && first == 0) { // end-of-contents of an indefinite length
                if (sp > 0 && indefinite[sp - 1]) {
                    sp--;
                }
                continue;
            }
            boolean constructed = (tag & 0x20) != 0;
            if (first == 0x80) {
                if (!constructed) {
                    return deepest;
                }
                int depth = r.depth + sp + 1;
                deepest = Math.max(deepest, depth);
                if (depth > limit) {
                    return depth;
                }
                ends[sp] = end;
                indefinite[sp++] = true;
                continue;
            }
            long length = first;
            if ((first & 0x80) != 0) {
                int n = first & 0x7f;
                if (n > 4 || pos + n > end) {
                    return deepest;
                }
                length = 0;
                for (int i = 0; i < n; i++) {
                    length = (length << 8) | (b[pos++] & 0xff);
                }
            }
            if (length > end - pos) {
                return deepest;
            }
            int contentEnd = pos + (int) length;
            if (constructed) {
                int depth = r.depth + sp + 1;
                deepest = Math.max(deepest, depth);
                if (depth > limit) {
                    return depth;
                }
                ends[sp] = contentEnd;
                indefinite[sp++] = false;
            } else {
                int skip = tag == BIT_STRING ? 1 : 0;
                if ((tag == OCTET_STRING || tag == BIT_STRING) && length > skip + 1
                    && (b[pos + skip] & 0x20) != 0) {
                    work.push(new Region(pos + skip, contentEnd, r.depth + sp + 1));
                }
                pos = contentEnd;
            }
        }
        return deepest;
    }
}
