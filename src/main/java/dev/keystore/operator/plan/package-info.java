/**
 * The decision and its execution, free of I/O: given a KeystoreSet, what exists and the clock,
 * which keys and certificates to keep, renew, rotate or refuse, and the resulting files.
 */
package dev.keystore.operator.plan;
