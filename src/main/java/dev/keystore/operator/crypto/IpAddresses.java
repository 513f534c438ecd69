package dev.keystore.operator.crypto;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** Parses IP address literals without ever resolving a host name. */
public final class IpAddresses {
    private static final Pattern V4 = Pattern.compile("^(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})$");
    private static final Pattern V6 = Pattern.compile("^[0-9a-fA-F:.]+$");

    private IpAddresses() {
    }

    public static boolean isLiteral(String text) {
        if (text == null) {
            return false;
        }
        var v4 = V4.matcher(text);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    return false;
                }
            }
            return true;
        }
        // Bouncy Castle checks the IPv6 syntax first, so InetAddress only ever sees a literal (no DNS)
        return text.contains(":") && V6.matcher(text).matches() && org.bouncycastle.util.IPAddress.isValidIPv6(text)
            && parses(text);
    }

    private static boolean parses(String text) {
        try {
            InetAddress.getByName(text);
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }

    /** One spelling per address, so that "::1" and "0:0:0:0:0:0:0:1" compare equal. */
    public static String canonical(String literal) {
        if (!isLiteral(literal)) {
            throw new IllegalArgumentException("not an IP address literal: " + literal);
        }
        try {
            return InetAddress.getByName(literal).getHostAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("not an IP address literal: " + literal, e);
        }
    }
}
