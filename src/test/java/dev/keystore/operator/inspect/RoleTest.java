package dev.keystore.operator.inspect;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RoleTest {
    @ParameterizedTest
    @CsvSource({
        "wso2carbon.jks, PRIMARY", "primary.p12, PRIMARY", "jwtsecret.p12, PRIMARY",
        "internal_keystore.jks, INTERNAL", "internal.p12, INTERNAL",
        "tls_keystore.jks, TLS", "tls.p12, TLS", "tls.crt, TLS", "tls.key, TLS",
        "client-truststore.jks, TRUSTSTORE", "localhost.truststore.p12, TRUSTSTORE", "trust.p12, TRUSTSTORE",
        "clientTrust.p12, TRUSTSTORE", "cacerts, TRUSTSTORE", "ca.crt, TRUSTSTORE", "ca-bundle.pem, TRUSTSTORE",
        "zosConnect-ca.cer, TRUSTSTORE",
        // a CA's own key is not trust
        "ca.key, KEYSTORE", "corp-ca.p12, KEYSTORE",
        "localhost.keystore.p12, KEYSTORE", "key.p12, KEYSTORE", "clientKey.p12, KEYSTORE"})
    void theNameSaysWhatAStoreIsFor(String fileName, Role role) {
        assertEquals(role, Role.byName(fileName));
    }

    @ParameterizedTest
    @CsvSource({
        // WSO2 uses the primary store for TLS and internal encryption when nothing else is configured
        "wso2carbon.jks, WSO2, PRIMARY, PRIMARY TLS INTERNAL",
        "wso2carbon.jks, WSO2, PRIMARY TLS INTERNAL, PRIMARY",
        "wso2carbon.jks, WSO2, PRIMARY TLS, PRIMARY INTERNAL",
        "wso2carbon.jks, NONE, PRIMARY, PRIMARY",
        // every Zowe and Liberty keystore serves TLS
        "localhost.keystore.p12, ZOWE, KEYSTORE, TLS", "key.p12, LIBERTY, KEYSTORE, TLS",
        "key.p12, NONE, KEYSTORE, KEYSTORE", "jwtsecret.p12, ZOWE, PRIMARY, PRIMARY"})
    void theProfileAddsRoles(String fileName, Profile profile, String group, String expected) {
        assertEquals(roles(expected), Role.of(fileName, profile, roles(group)));
    }

    static Set<Role> roles(String names) {
        Set<Role> roles = EnumSet.noneOf(Role.class);
        for (String n : names.trim().split("\\s+")) {
            roles.add(Role.valueOf(n));
        }
        return roles;
    }
}
