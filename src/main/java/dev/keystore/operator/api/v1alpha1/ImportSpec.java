package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ImportSpec {
    @JsonPropertyDescription("A kubernetes.io/tls Secret (tls.crt with chain, tls.key, optional ca.crt)")
    public LocalRef secretRef;
    @JsonPropertyDescription("An existing JKS or PKCS12 file in a Secret")
    public KeystoreImport keystore;
}
