package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;

/** Exactly one of selfSigned, ca, keystoreSetRef, external; none means selfSigned with defaults. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public class IssuerSpec {
    public SelfSignedIssuer selfSigned;
    @JsonPropertyDescription("Sign with a CA from a Secret (tls.crt with chain, tls.key)")
    public CaIssuer ca;
    @JsonPropertyDescription("Sign with the CA of another KeystoreSet in this namespace")
    public LocalRef keystoreSetRef;
    @JsonPropertyDescription("Sign by CSR with a CA the operator cannot reach: CSRs in Secret <secretName>-csr, signed certificates back in certificateSecretRef")
    public ExternalIssuer external;
}
