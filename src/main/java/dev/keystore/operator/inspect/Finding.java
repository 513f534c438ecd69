package dev.keystore.operator.inspect;

import com.fasterxml.jackson.annotation.JsonIgnore;

/**
 * One mistake: its severity, the file (and alias) it is in, and one line saying what is wrong and
 * what to do. Messages name certificates by subject, never by key material.
 */
public record Finding(Severity severity, String check, String source, String alias, String message) {
    static Finding of(Severity severity, Check check, String source, String alias, String message) {
        return new Finding(severity, check.code(), source, alias, message);
    }

    /** {@code ERROR    keystores/wso2carbon.jks [wso2carbon]: ...}. */
    @JsonIgnore
    public String line() {
        return String.format("%-8s %s%s: %s", severity, source, alias == null ? "" : " [" + alias + "]", message);
    }
}
