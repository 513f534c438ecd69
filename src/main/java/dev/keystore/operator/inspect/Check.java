package dev.keystore.operator.inspect;

import java.util.Locale;

/** What a finding is about; its code is what scripts match in the JSON output. */
public enum Check {
    EXPIRED, EXPIRING, CHAIN_OUT_OF_ORDER, CHAIN_INCOMPLETE, CHAIN_WITHOUT_ROOT, KEY_PASSWORD,
    DATA_ENCIPHERMENT, EXTENDED_KEY_USAGE, KEY_USAGE, NO_SUBJECT_ALT_NAME, WEAK_KEY, WEAK_SIGNATURE,
    PRIVATE_KEY_IN_TRUSTSTORE, LEGACY_PKCS12, STORE_TYPE;

    public String code() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }
}
