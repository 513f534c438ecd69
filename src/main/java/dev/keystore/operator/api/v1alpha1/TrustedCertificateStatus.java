package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class TrustedCertificateStatus {
    public String alias;
    public String subject;
    public String notAfter;
    public String sha256Fingerprint;
}
