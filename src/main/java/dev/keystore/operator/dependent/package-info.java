/** One class per Kubernetes object the operator owns and writes. */
package dev.keystore.operator.dependent;
