package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import java.util.List;

/** One keystore of the set: primary, tls or internal. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlotSpec {
    @JsonPropertyDescription("Key entry alias; default the slot name")
    public String alias;
    @JsonPropertyDescription("File name in the Secret; default <slot>.p12 or <slot>.jks")
    public String fileName;
    public StoreFormat format;
    @JsonPropertyDescription("PKCS12 protection: Modern (default; PBES2 AES-256, HmacSHA256 MAC) or Legacy (PBE-SHA1-3DES, SHA-1 MAC, for Java 8 before 8u301 and IBM GSKit); default spec.pkcs12Profile")
    public Pkcs12ProfileName pkcs12Profile;
    public Subject subject;
    public PrivateKeySpec privateKey;
    @JsonPropertyDescription("Certificate lifetime; default 8760h")
    public String duration;
    @JsonPropertyDescription("Renew this long before notAfter; default one third of duration")
    public String renewBefore;
    public List<KeyUsage> usages;
    public List<String> dnsNames;
    public List<String> ipAddresses;
    @JsonPropertyDescription("URI subject alternative names, e.g. SPIFFE IDs (spiffe://example.org/ns/apps/sa/web)")
    public List<String> uris;
    @JsonPropertyDescription("E-mail subject alternative names (rfc822Name), e.g. ops@example.com")
    public List<String> emailAddresses;
    @JsonProperty("import")
    @JsonPropertyDescription("Bring your own key and certificate instead of generating them")
    public ImportSpec importFrom;
}
