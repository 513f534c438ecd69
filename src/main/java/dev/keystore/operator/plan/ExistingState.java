package dev.keystore.operator.plan;

import dev.keystore.operator.crypto.CertificateAuthority;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Map;

/**
 * What exists before a run, read by the caller from Secrets (operator) or files (render).
 *
 * @param output        data of the output Secret; empty when there is none
 * @param caRecord      data of the {@code <secretName>-ca} Secret (self-signed issuer); empty when none
 * @param internalRecord data of the {@code <secretName>-internal} Secret; empty when none
 * @param referencedPassword the password from passwordSecretRef, or null when the operator generates it
 * @param externalCa    the CA to sign with for issuer.ca or issuer.keystoreSetRef, resolved by the caller
 * @param extraTrusted  certificates from trustBundleRefs, resolved by the caller
 * @param rotationRequests slot to rotation token requested by annotation and not yet acted on
 * @param imports       each slot's {@code import}, read by the caller
 * @param recordNames   the name of each record found (records keep their first name); a role not
 *                      found is named {@link RecordRole#firstName} of the current secretName
 */
public record ExistingState(Map<String, byte[]> output, Map<String, byte[]> caRecord, Map<String, byte[]> internalRecord,
                            String referencedPassword, CertificateAuthority externalCa,
                            List<X509Certificate> extraTrusted, Map<SlotName, String> rotationRequests,
                            Map<SlotName, Imported> imports, Map<RecordRole, String> recordNames) {
    public ExistingState {
        imports = Map.copyOf(imports);
        recordNames = Map.copyOf(recordNames);
        output = Map.copyOf(output);
        caRecord = Map.copyOf(caRecord);
        internalRecord = Map.copyOf(internalRecord);
        extraTrusted = List.copyOf(extraTrusted);
        rotationRequests = Map.copyOf(rotationRequests);
    }

    public ExistingState(Map<String, byte[]> output, Map<String, byte[]> caRecord, Map<String, byte[]> internalRecord,
                         String referencedPassword, CertificateAuthority externalCa, List<X509Certificate> extraTrusted,
                         Map<SlotName, String> rotationRequests, Map<SlotName, Imported> imports) {
        this(output, caRecord, internalRecord, referencedPassword, externalCa, extraTrusted, rotationRequests, imports, Map.of());
    }

    public ExistingState(Map<String, byte[]> output, Map<String, byte[]> caRecord, Map<String, byte[]> internalRecord,
                         String referencedPassword, CertificateAuthority externalCa, List<X509Certificate> extraTrusted,
                         Map<SlotName, String> rotationRequests) {
        this(output, caRecord, internalRecord, referencedPassword, externalCa, extraTrusted, rotationRequests, Map.of());
    }

    /** The name of a record: the one found, else the name a new one gets. */
    public String recordName(RecordRole role, String secretName) {
        return recordNames.getOrDefault(role, role.firstName(secretName));
    }

    public static ExistingState empty() {
        return new ExistingState(Map.of(), Map.of(), Map.of(), null, null, List.of(), Map.of());
    }
}
