package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class SlotStatus {
    public String alias;
    public String subject;
    public String issuer;
    public String serialNumber;
    public String notBefore;
    public String notAfter;
    public String renewalTime;
    public String sha256Fingerprint;
    public String keyAlgorithm;
    public String rotationToken;
}
