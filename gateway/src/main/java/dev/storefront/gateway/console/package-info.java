/** The web console's static files ({@code classpath:/static/}) and the security headers they are served with. */
@NullMarked
package dev.storefront.gateway.console;

import org.jspecify.annotations.NullMarked;
