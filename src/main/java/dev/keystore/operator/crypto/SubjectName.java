package dev.keystore.operator.crypto;

import java.util.List;
import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

/**
 * A certificate subject as the spec gives it; {@link #x500()} builds the X.500 name in the
 * order C, ST, L, O, OU, CN, leaving out blank values.
 */
public record SubjectName(List<String> countries, List<String> provinces, List<String> localities,
                          List<String> organizations, List<String> organizationalUnits, String commonName) {

    public X500Name x500() {
        X500NameBuilder builder = new X500NameBuilder(BCStyle.INSTANCE);
        add(builder, BCStyle.C, countries);
        add(builder, BCStyle.ST, provinces);
        add(builder, BCStyle.L, localities);
        add(builder, BCStyle.O, organizations);
        add(builder, BCStyle.OU, organizationalUnits);
        if (commonName != null && !commonName.isBlank()) {
            builder.addRDN(BCStyle.CN, commonName);
        }
        return builder.build();
    }

    private static void add(X500NameBuilder builder, ASN1ObjectIdentifier type, List<String> values) {
        if (values != null) {
            values.stream().filter(v -> v != null && !v.isBlank()).forEach(v -> builder.addRDN(type, v));
        }
    }
}
