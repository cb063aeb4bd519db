package org.wrenmq.broker.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Answers {@code GET} (and {@code HEAD}) of {@code /metrics}, {@code /health} and {@code /ready}; anything else
 * gets 404 or 405. Probe answers are plain text: {@code ok}, or the reason with status 503, as Kubernetes
 * probes and load balancers read the status and operators read the text.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);
    private static final String TEXT = "text/plain; charset=utf-8";

    private final PrometheusMetrics metrics;
    private final Probes probes;
    private final BasicLogin login;

    HttpRequestHandler(PrometheusMetrics metrics, Probes probes, BasicLogin login) {
        this.metrics = metrics;
        this.probes = probes;
        this.login = login;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        FullHttpResponse response = respond(ctx, request);
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        HttpUtil.setContentLength(response, response.content().readableBytes());
        HttpUtil.setKeepAlive(response, keepAlive);
        if (HttpMethod.HEAD.equals(request.method())) {
            response.content().clear();
        }
        var written = ctx.writeAndFlush(response);
        if (!keepAlive) {
            written.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private FullHttpResponse respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return text(HttpResponseStatus.BAD_REQUEST, "malformed request");
        }
        if (!HttpMethod.GET.equals(request.method()) && !HttpMethod.HEAD.equals(request.method())) {
            FullHttpResponse r = text(HttpResponseStatus.METHOD_NOT_ALLOWED, "only GET and HEAD");
            r.headers().set(HttpHeaderNames.ALLOW, "GET, HEAD");
            return r;
        }
        switch (new QueryStringDecoder(request.uri()).path()) {
            case "/metrics": return login.userOf(request) != null ? metrics(ctx) : loginRequired(ctx, request);
            case "/health": return probe(probes.notLiveReason());
            case "/ready": return probe(probes.notReadyReason());
            default: return text(HttpResponseStatus.NOT_FOUND, "not found: try /metrics, /health or /ready");
        }
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) {
        ByteBuf body = ctx.alloc().buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            metrics.write(out);
        } catch (IOException | RuntimeException e) {
            body.release();
            LOG.debug("scrape failed: {}", e.toString());
            return text(HttpResponseStatus.SERVICE_UNAVAILABLE, "metrics unavailable: " + e.getMessage());
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
        return r;
    }

    /** The probes stay open (a kubelet sends no credentials); what they say is not secret. */
    private static FullHttpResponse loginRequired(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (request.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            LOG.info("HTTP {} from {}: bad user name or password", request.uri(), ctx.channel().remoteAddress());
        }
        FullHttpResponse r = text(HttpResponseStatus.UNAUTHORIZED, "login required (user and password of the "
                + "broker's password_file)");
        r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, BasicLogin.CHALLENGE);
        return r;
    }

    private static FullHttpResponse probe(String failure) {
        return failure == null ? text(HttpResponseStatus.OK, "ok")
                : text(HttpResponseStatus.SERVICE_UNAVAILABLE, failure);
    }

    private static FullHttpResponse text(HttpResponseStatus status, String message) {
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                Unpooled.copiedBuffer(message + "\n", StandardCharsets.UTF_8));
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, TEXT);
        return r;
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
