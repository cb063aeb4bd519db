package org.wrenmq.broker.http;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufOutputStream;
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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.wrenmq.broker.auth.Authorizer;

/**
 * Routes the HTTP listener's requests: {@code /metrics}, {@code /health} and {@code /ready}; the web console's
 * files ({@link ConsoleAssets}) and its JSON endpoints under {@code /api/} ({@link ConsoleApi}). Only the
 * console's endpoints take {@code POST}; anything else gets 404 or 405. Probe answers are plain text: {@code ok},
 * or the reason with status 503, as Kubernetes probes and load balancers read the status and operators the text.
 */
@ChannelHandler.Sharable
final class HttpRequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
    private static final Logger LOG = LoggerFactory.getLogger(HttpRequestHandler.class);

    private final PrometheusMetrics metrics;
    private final Probes probes;
    private final BasicLogin login;
    private final ConsoleAssets assets;
    private final ConsoleApi console;
    private final Authorizer authorizer;

    HttpRequestHandler(PrometheusMetrics metrics, Probes probes, BasicLogin login, ConsoleAssets assets,
                       ConsoleApi console, Authorizer authorizer) {
        this.metrics = metrics;
        this.probes = probes;
        this.login = login;
        this.assets = assets;
        this.console = console;
        this.authorizer = authorizer;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        boolean keepAlive = HttpUtil.isKeepAlive(request) && request.decoderResult().isSuccess();
        boolean head = HttpMethod.HEAD.equals(request.method());
        CompletionStage<FullHttpResponse> answer;
        try {
            answer = respond(ctx, request);
        } catch (RuntimeException e) {
            answer = CompletableFuture.failedFuture(e);
        }
        answer.whenComplete((response, failure) -> {
            FullHttpResponse r = failure == null ? response
                    : HttpResponses.text(HttpResponseStatus.INTERNAL_SERVER_ERROR, "internal error");
            if (failure != null) {
                LOG.warn("HTTP {} failed: {}", request.uri(), failure.toString());
            }
            HttpUtil.setContentLength(r, r.content().readableBytes());
            HttpUtil.setKeepAlive(r, keepAlive);
            if (head) {
                r.content().clear();
            }
            var written = ctx.writeAndFlush(r);
            if (!keepAlive) {
                written.addListener(ChannelFutureListener.CLOSE);
            }
        });
    }

    private CompletionStage<FullHttpResponse> respond(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            return now(HttpResponses.text(HttpResponseStatus.BAD_REQUEST, "malformed request"));
        }
        String path = new QueryStringDecoder(request.uri()).path();
        boolean api = path.startsWith("/api/");
        boolean read = HttpMethod.GET.equals(request.method()) || HttpMethod.HEAD.equals(request.method());
        if (!read && !(api && HttpMethod.POST.equals(request.method()))) {
            FullHttpResponse r = HttpResponses.text(HttpResponseStatus.METHOD_NOT_ALLOWED,
                    api ? "only GET and POST" : "only GET and HEAD");
            r.headers().set(HttpHeaderNames.ALLOW, api ? "GET, HEAD, POST" : "GET, HEAD");
            return now(r);
        }
        if (api) {
            String user = login.userOf(request);
            if (user == null) {
                return now(loginRequired(ctx, request, false));
            }
            return console.handle(request, path, ConsoleUser.of(user, authorizer));
        }
        switch (path) {
            case "/metrics":
                return now(login.userOf(request) != null ? metrics(ctx) : loginRequired(ctx, request, true));
            case "/health": return now(probe(probes.notLiveReason()));
            case "/ready": return now(probe(probes.notReadyReason()));
            default:
                FullHttpResponse asset = assets.get(path);
                return now(asset != null ? asset : HttpResponses.text(HttpResponseStatus.NOT_FOUND,
                        "not found: try /, /metrics, /health or /ready"));
        }
    }

    private FullHttpResponse metrics(ChannelHandlerContext ctx) {
        ByteBuf body = ctx.alloc().buffer();
        try (ByteBufOutputStream out = new ByteBufOutputStream(body)) {
            metrics.write(out);
        } catch (IOException | RuntimeException e) {
            body.release();
            LOG.debug("scrape failed: {}", e.toString());
            return HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, "metrics unavailable: "
                    + e.getMessage());
        }
        FullHttpResponse r = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.OK, body);
        r.headers().set(HttpHeaderNames.CONTENT_TYPE, metrics.contentType());
        return r;
    }

    /**
     * 401 for a request without a valid login. {@code /metrics} challenges (Prometheus and browsers answer it);
     * the console's endpoints do not, as the console's own login form sends the credentials and a challenge would
     * make the browser open its dialog over the page. The probes stay open (a kubelet sends no credentials).
     */
    private static FullHttpResponse loginRequired(ChannelHandlerContext ctx, FullHttpRequest request,
                                                  boolean challenge) {
        if (request.headers().contains(HttpHeaderNames.AUTHORIZATION)) {
            LOG.info("HTTP {} from {}: bad user name or password", new QueryStringDecoder(request.uri()).path(),
                    ctx.channel().remoteAddress());
        }
        FullHttpResponse r = HttpResponses.text(HttpResponseStatus.UNAUTHORIZED, "login required (user and "
                + "password of the broker's password_file)");
        if (challenge) {
            r.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, BasicLogin.CHALLENGE);
        }
        return r;
    }

    private static FullHttpResponse probe(String failure) {
        return failure == null ? HttpResponses.text(HttpResponseStatus.OK, "ok")
                : HttpResponses.text(HttpResponseStatus.SERVICE_UNAVAILABLE, failure);
    }

    private static CompletionStage<FullHttpResponse> now(FullHttpResponse response) {
        return CompletableFuture.completedFuture(response);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("HTTP connection {}: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
