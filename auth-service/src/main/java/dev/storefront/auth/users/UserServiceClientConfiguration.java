package dev.storefront.auth.users;


import io.grpc.ManagedChannel;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.grpc.client.GrpcChannelFactory;

/**
 * The channel to user-service, named {@code user-service}: its address is
 * {@code spring.grpc.client.channel.user-service.target} ({@code USER_SERVICE_GRPC_ADDRESS}), and the
 * global client interceptors (request id, service token) apply to it.
 */
@Configuration(proxyBeanMethods = false)
class UserServiceClientConfiguration {

    @Bean
    ManagedChannel userServiceChannel(GrpcChannelFactory channels) {
        return channels.createChannel("user-service");
    }

}
