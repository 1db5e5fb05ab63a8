package dev.storefront.product;

import java.util.List;

/** One page of products and the token of the next page ({@code ""} on the last page). */
record ProductPage(List<Product> products, String nextPageToken) {
}
