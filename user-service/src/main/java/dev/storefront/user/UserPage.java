package dev.storefront.user;

import java.util.List;

/** One page of users and the token of the next page ({@code ""} on the last page). */
record UserPage(List<User> users, String nextPageToken) {
}
