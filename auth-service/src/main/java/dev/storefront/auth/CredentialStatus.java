package dev.storefront.auth;

/** Whether a credential can sign in yet: PENDING while its registration has not finished. */
enum CredentialStatus {

    PENDING, ACTIVE

}
