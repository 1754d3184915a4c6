package io.xfernode.filter;

import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.link.PullSource;
import io.xfernode.process.ChildProcess;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.List;

/**
 * {@code process} filter: runs a command with the bytes as its stdin and its stdout as the output. The
 * command is an argument list whose first item must be on the node's allow-list; never run through a
 * shell. A feeder thread pulls from the upstream and writes stdin; each pull of the downstream reads
 * stdout. It succeeds only if the command exits with 0.
 */
public final class ProcessFilter extends BaseElementType<List<String>> {

  public ProcessFilter() {
    super("process", Role.FILTER, "command");
  }

  private static final Logger log = LoggerFactory.getLogger(ProcessFilter.class);

  @Override
  public List<String> parse(JsonFields f) {
    return ChildProcess.parseCommand(f);
  }

  @Override
  public List<MechPair> pairs(List<String> command) {
    return List.of(MechPair.filter(Mechanism.PULL, Mechanism.PULL, 2, 1));
  }

  @Override
  public String describe(List<String> command) {
    return "pipes the bytes through " + JsonFields.describe(command.get(0)) + " with " + (command.size() - 1)
      + " arguments";
  }

  @Override
  public Element create(List<String> command) {
    return new Run(command);
  }

  private static final class Run extends PullTransform {

    private final List<String> command;
    private volatile ChildProcess process;
    private volatile Throwable feedFailure;
    private int chunk;
    private PullSource in;
    private ElementContext ctx;

    Run(List<String> command) {
      this.command = command;
    }

    @Override
    public Future<Void> setup(ElementContext ctx) {
      this.ctx = ctx;
      chunk = ctx.env().chunkSize();
      in = ctx.inputPuller();
      return super.setup(ctx).compose(v -> ChildProcess.launch(ctx, command, true))
        .onSuccess(p -> process = p).mapEmpty();
    }

    @Override
    protected Buffer next(PullSource upstream) throws Exception {
      Buffer b = process.read(chunk);
      if (b != null) {
        return b;
      }
      Throwable f = feedFailure;
      if (f instanceof Exception) {
        // the command's stdout ended because the feeder failed and killed it: report why
        throw (Exception) f;
      }
      if (ctx.cancelled()) {
        throw new InterruptedException("cancelled");
      }
      process.checkExit();
      return null;
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      Future<Void> feeder = ctx.thread("feed", () -> {
        try {
          return feed(ctx);
        } catch (Exception e) {
          // set before the kill, so that the reader, woken by the end of stdout, reports this cause
          feedFailure = e;
          process.destroy();
          throw e;
        }
      });
      feeder.onFailure(this::fail);
      return Future.all(super.start(ctx), feeder).mapEmpty();
    }

    /** Writes every upstream byte to stdin, then closes it; on the feeder thread. */
    private Void feed(ElementContext ctx) throws Exception {
      ChildProcess p = process;
      boolean discard = false;
      Buffer b;
      while ((b = in.pull()) != null) {
        if (discard) {
          continue;
        }
        try {
          p.write(b);
        } catch (IOException e) {
          if (ctx.cancelled()) {
            throw new InterruptedException("cancelled");
          }
          // the command closed its stdin early (as head does): the rest of the input is not wanted, but the
          // upstream must still reach its end; whether that was a failure is for the exit code to say
          log.debug("transfer {}: {} stopped reading its input: {}", ctx.transferId(), ctx.name(), e.toString());
          discard = true;
        }
      }
      try {
        p.closeStdin();
      } catch (IOException e) {
        log.debug("transfer {}: {} closed its input first: {}", ctx.transferId(), ctx.name(), e.toString());
      }
      return null;
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      super.cancel(ctx, reason);
      ChildProcess p = process;
      if (p != null) {
        p.destroy();
      }
    }

    @Override
    public Future<Void> release(ElementContext ctx) {
      ChildProcess p = process;
      return p == null ? Future.succeededFuture() : p.release(ctx.vertx(), ctx.context());
    }
  }
}
