package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Required;

/** Signing by a CA the operator cannot reach: CSRs out in {@code <secretName>-csr}, signed certificates back in a Secret. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalIssuer {
    @Required
    @JsonPropertyDescription("The Secret the signed certificates come back in: key \"<slot>.crt\" = leaf, then its chain (PEM)")
    public LocalRef certificateSecretRef;
}
