package dev.keystore.operator.api.v1alpha1;

// Constants are spelled as users write them in YAML (api.md).
public enum KeyUsage {
    digitalSignature, nonRepudiation, keyEncipherment, dataEncipherment, keyAgreement, keyCertSign, cRLSign, serverAuth, clientAuth, codeSigning, emailProtection, timeStamping, ocspSigning
}
