package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Size;

/** One source of trusted certificates; set exactly one field. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustSource {
    @JsonPropertyDescription("PEM certificates in a Secret key")
    public SecretKeyRef secret;
    @JsonPropertyDescription("PEM certificates in a ConfigMap key")
    public SecretKeyRef configMap;
    @JsonPropertyDescription("PEM certificates written here")
    @Size(max = Patterns.MAX_INLINE_PEM)
    public String inline;
    @JsonPropertyDescription("The issuer chain of a KeystoreSet in this namespace")
    public LocalRef keystoreSet;
    @JsonPropertyDescription("The JDK's default CA certificates")
    public Boolean systemCAs;
}
