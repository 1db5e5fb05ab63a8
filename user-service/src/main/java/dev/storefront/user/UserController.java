package dev.storefront.user;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PatchMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The REST adapter of the user feature ({@code /v1/users}); every rule lives in {@link UserService}. */
@RestController
@RequestMapping("/v1/users")
class UserController {

    private final UserService users;

    UserController(UserService users) {
        this.users = users;
    }

    @GetMapping
    UserPageResource list(@RequestParam(defaultValue = "0") int pageSize,
            @RequestParam(defaultValue = "") String pageToken) {
        UserPage page = this.users.list(pageSize, pageToken);
        return new UserPageResource(page.users().stream().map(UserResource::of).toList(), page.nextPageToken());
    }

    @GetMapping("/{id}")
    UserResource get(@PathVariable String id) {
        return UserResource.of(this.users.get(id));
    }

    @PostMapping
    ResponseEntity<UserResource> create(@RequestBody NewUser request) {
        User user = this.users.create(request);
        return ResponseEntity.created(URI.create("/v1/users/" + user.id())).body(UserResource.of(user));
    }

    @PatchMapping("/{id}")
    UserResource update(@PathVariable String id, @RequestBody UserChanges changes) {
        return UserResource.of(this.users.update(id, changes));
    }

    @DeleteMapping("/{id}")
    ResponseEntity<Void> delete(@PathVariable String id) {
        this.users.delete(id);
        return ResponseEntity.noContent().build();
    }

    /** A user as JSON. */
    record UserResource(String id, String name, String email, List<String> roles, Instant createdAt,
            Instant updatedAt) {

        static UserResource of(User user) {
            return new UserResource(user.id().toString(), user.name(), user.email(),
                    user.roles().stream().map(Role::wireName).toList(), user.createdAt(), user.updatedAt());
        }

    }

    /** One page of users as JSON. */
    record UserPageResource(List<UserResource> users, @Nullable String nextPageToken) {
    }

}
