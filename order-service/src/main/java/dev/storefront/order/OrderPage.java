package dev.storefront.order;

import java.util.List;

/** One page of orders, newest first, and the token of the next page ({@code ""} on the last page). */
record OrderPage(List<Order> orders, String nextPageToken) {
}
