package dev.keystore.operator.api.v1alpha1;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonPropertyDescription;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Size;
import java.util.ArrayList;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class KeystoreSetSpec {
    @JsonPropertyDescription("Output Secret; default <metadata.name>-keystores")
    @Pattern(Patterns.DNS_SUBDOMAIN)
    @Size(max = Patterns.MAX_SECRET_NAME)
    public String secretName;
    @JsonPropertyDescription("Keystore format of every slot unless the slot overrides it; default PKCS12")
    public StoreFormat format;
    @JsonPropertyDescription("PKCS12 protection: Modern (default; PBES2 AES-256, HmacSHA256 MAC) or Legacy (PBE-SHA1-3DES, SHA-1 MAC, for Java 8 before 8u301 and IBM GSKit); slots and the truststore may override it")
    public Pkcs12ProfileName pkcs12Profile;
    @JsonPropertyDescription("Labels and annotations added to the output Secret; cannot override the operator's own (app.kubernetes.io/managed-by, keystore.dev/*)")
    public SecretTemplate secretTemplate;
    @JsonPropertyDescription("Maintenance windows for renewals and rotations")
    public RenewalSpec renewal;
    @JsonPropertyDescription("One password for every store and key; generated when omitted")
    public SecretKeyRef passwordSecretRef;
    @JsonPropertyDescription("Who signs the certificates; default selfSigned")
    public IssuerSpec issuer;
    @JsonPropertyDescription("Keystore for signing data that leaves the product (JWT, SAML, OIDC)")
    public SlotSpec primary;
    @JsonPropertyDescription("Keystore for every TLS transport, server and client")
    public SlotSpec tls;
    @JsonPropertyDescription("Keystore whose key encrypts data at rest; its key pair never changes")
    public SlotSpec internal;
    public TruststoreSpec truststore;
    @JsonPropertyDescription("Config snippets to emit into the Secret")
    @Size(max = 3)
    public List<ConfigFormat> config = new ArrayList<>();
    @JsonPropertyDescription("Where workloads mount the Secret; default /etc/keystores")
    @Pattern(Patterns.MOUNT_PATH)
    @Size(max = Patterns.MAX_MOUNT_PATH)
    public String mountPath;
    @JsonPropertyDescription("Written into the zowe snippet; default Strict")
    public VerifyCertificates verifyCertificates;
    @JsonPropertyDescription("Whether a server asks TLS clients for a certificate (mTLS); written into the liberty snippet; default None")
    public ClientAuthentication clientAuthentication;
    @JsonPropertyDescription("Workloads rolled when the output Secret's content changes")
    @Size(max = Patterns.MAX_ROLLOUT)
    public List<WorkloadRef> rollout = new ArrayList<>();
}
