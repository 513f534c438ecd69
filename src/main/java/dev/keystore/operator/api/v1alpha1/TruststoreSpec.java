package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TruststoreSpec {
    @JsonPropertyDescription("Default truststore.p12 or truststore.jks")
    @Pattern(Patterns.FILE_NAME)
    @Size(max = Patterns.MAX_DATA_KEY)
    public String fileName;
    public StoreFormat format;
    @JsonPropertyDescription("PKCS12 protection: Modern (default; PBES2 AES-256, HmacSHA256 MAC) or Legacy (PBE-SHA1-3DES, SHA-1 MAC, for Java 8 before 8u301 and IBM GSKit); default spec.pkcs12Profile")
    public Pkcs12ProfileName pkcs12Profile;
    @JsonPropertyDescription("Trust this set's own CA chain; default true")
    public Boolean includeIssuer;
    @JsonPropertyDescription("Add the certificates of these TrustBundles (same namespace)")
    @Size(max = Patterns.MAX_TRUST_BUNDLE_REFS)
    public List<LocalRef> trustBundleRefs;
}
