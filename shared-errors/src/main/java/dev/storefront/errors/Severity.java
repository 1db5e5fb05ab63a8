package dev.storefront.errors;

/** How bad an error is; decides the level it is logged at. */
public enum Severity {

    INFO, WARNING, ERROR, CRITICAL

}
