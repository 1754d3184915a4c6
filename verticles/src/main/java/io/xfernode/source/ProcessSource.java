package io.xfernode.source;

import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import io.xfernode.api.JsonFields;
import io.xfernode.element.Element;
import io.xfernode.element.ElementContext;
import io.xfernode.element.BaseElementType;
import io.xfernode.element.MechPair;
import io.xfernode.element.Mechanism;
import io.xfernode.element.Role;
import io.xfernode.process.ChildProcess;

import java.util.List;

/**
 * {@code process} source: the stdout of a command, given as an argument list whose first item must be on
 * the node's allow-list; never run through a shell. The command starts at setup; each pull reads its
 * stdout, on the puller's thread. It succeeds only if the command exits with 0.
 */
public final class ProcessSource extends BaseElementType<List<String>> {

  public ProcessSource() {
    super("process", Role.SOURCE, "command");
  }

  @Override
  public List<String> parse(JsonFields f) {
    return ChildProcess.parseCommand(f);
  }

  @Override
  public List<MechPair> pairs(List<String> command) {
    return List.of(MechPair.source(Mechanism.PULL, 1, 0));
  }

  @Override
  public String describe(List<String> command) {
    return "the stdout of " + JsonFields.describe(command.get(0)) + " with " + (command.size() - 1) + " arguments";
  }

  @Override
  public Element create(List<String> command) {
    return new Run(command);
  }

  private static final class Run extends Element {

    private final List<String> command;
    private final Promise<Void> done = Promise.promise();
    private volatile ChildProcess process;

    Run(List<String> command) {
      this.command = command;
    }

    @Override
    public Future<Void> setup(ElementContext ctx) {
      ctx.offerPuller(() -> pull(ctx));
      return ChildProcess.launch(ctx, command, false).onSuccess(p -> process = p).mapEmpty();
    }

    private Buffer pull(ElementContext ctx) throws Exception {
      try {
        Buffer b = process.read(ctx.env().chunkSize());
        if (b == null) {
          if (ctx.cancelled()) {
            throw new InterruptedException("cancelled");
          }
          process.checkExit();
          done.tryComplete();
          return null;
        }
        ctx.progress(b.length());
        return b;
      } catch (Exception e) {
        done.tryFail(e);
        throw e;
      }
    }

    @Override
    public Future<Void> start(ElementContext ctx) {
      return ctx.onContext(done.future());
    }

    @Override
    public void cancel(ElementContext ctx, Throwable reason) {
      done.tryFail(reason);
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
