/** REST side of the error model: problem documents for every Spring MVC error, request ids and body limits. */
@NullMarked
package dev.storefront.errors.rest;

import org.jspecify.annotations.NullMarked;
