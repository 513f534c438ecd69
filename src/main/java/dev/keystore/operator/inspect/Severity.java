package dev.keystore.operator.inspect;

/** ERROR: the product fails or the store is unsafe (exit code 1); WARNING: fix it soon; INFO: worth knowing. */
public enum Severity {
    ERROR, WARNING, INFO
}
