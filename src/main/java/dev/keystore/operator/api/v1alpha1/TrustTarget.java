package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.kubernetes.api.model.LabelSelector;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustTarget {
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = Patterns.MAX_NAME)
    public String secretName;
    @Size(max = 3)
    public List<TrustFormat> formats;
    public SecretKeyRef passwordSecretRef;
    @JsonPropertyDescription("PKCS12 protection of truststore.p12: Modern (default; PBES2 AES-256, HmacSHA256 MAC) or Legacy (PBE-SHA1-3DES, SHA-1 MAC)")
    public Pkcs12ProfileName pkcs12Profile;
    @JsonPropertyDescription("Also write ca-bundle.pem into a ConfigMap named like the Secret")
    public Boolean configMap;
    @JsonPropertyDescription("Also write the output into every namespace matching this selector whose annotation keystore.dev/accept-trust-from lists this bundle's namespace")
    public LabelSelector namespaceSelector;
}
