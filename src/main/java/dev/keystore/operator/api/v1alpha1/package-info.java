/** The keystore.dev/v1alpha1 resources as users write them (shared/design/api.md). Data only. */
package dev.keystore.operator.api.v1alpha1;
