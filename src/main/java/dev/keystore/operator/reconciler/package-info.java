/** The controllers: read inputs, run the plan, write the Secrets, set the status. */
package dev.keystore.operator.reconciler;
