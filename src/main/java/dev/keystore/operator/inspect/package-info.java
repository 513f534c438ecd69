/**
 * {@code inspect}: reads keystores, truststores, PEM files, directories and Secrets, and says what
 * is in them and what is wrong with them for the product that will use them (WSO2, Zowe, Liberty).
 * Reuses the keystore reader and the PEM parser; never prints a key or a password.
 */
package dev.keystore.operator.inspect;
