package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/** One keystore of the set: primary, tls or internal. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlotSpec {
    @JsonPropertyDescription("Key entry alias; default the slot name")
    @Pattern(Patterns.ALIAS)
    @Size(max = Patterns.MAX_ALIAS)
    public String alias;
    @JsonPropertyDescription("File name in the Secret; default <slot>.p12 or <slot>.jks")
    @Pattern(Patterns.FILE_NAME)
    @Size(max = Patterns.MAX_DATA_KEY)
    public String fileName;
    public StoreFormat format;
    @JsonPropertyDescription("PKCS12 protection: Modern (default; PBES2 AES-256, HmacSHA256 MAC) or Legacy (PBE-SHA1-3DES, SHA-1 MAC, for Java 8 before 8u301 and IBM GSKit); default spec.pkcs12Profile")
    public Pkcs12ProfileName pkcs12Profile;
    public Subject subject;
    public PrivateKeySpec privateKey;
    @JsonPropertyDescription("Certificate lifetime; default 8760h")
    @Pattern(Patterns.DURATION)
    @Size(max = Patterns.MAX_DURATION)
    public String duration;
    @JsonPropertyDescription("Renew this long before notAfter; default one third of duration")
    @Pattern(Patterns.DURATION)
    @Size(max = Patterns.MAX_DURATION)
    public String renewBefore;
    @Size(max = Patterns.MAX_USAGES)
    public List<KeyUsage> usages;
    @Size(max = Patterns.MAX_SANS)
    public List<@Pattern(Patterns.DNS_NAME) @Size(max = Patterns.MAX_NAME) String> dnsNames;
    @Size(max = Patterns.MAX_SANS)
    public List<@Pattern(Patterns.IP_ADDRESS) @Size(max = Patterns.MAX_IP_ADDRESS) String> ipAddresses;
    @JsonPropertyDescription("URI subject alternative names, e.g. SPIFFE IDs (spiffe://example.org/ns/apps/sa/web)")
    @Size(max = Patterns.MAX_SANS)
    public List<@Pattern(Patterns.PRINTABLE) @Size(max = Patterns.MAX_URI) String> uris;
    @JsonPropertyDescription("E-mail subject alternative names (rfc822Name), e.g. ops@example.com")
    @Size(max = Patterns.MAX_SANS)
    public List<@Pattern(Patterns.PRINTABLE) @Size(max = Patterns.MAX_EMAIL) String> emailAddresses;
    @JsonProperty("import")
    @JsonPropertyDescription("Bring your own key and certificate instead of generating them")
    public ImportSpec importFrom;
}
