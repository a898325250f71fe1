import { describe, expect, it } from "vitest";
import { escapeMarkdown, renderMessage } from "../../server/src/knowledge/render-markdown";

describe("hover escaping", () => {
  it("neutralises links, command URIs, HTML and emphasis in user text", () => {
    const hostile = "[click](command:workbench.action.quit) <img src=x onerror=alert(1)> **bold** _x_ ![i](http://e/x.png)";
    const escaped = escapeMarkdown(hostile);
    expect(escaped).not.toMatch(/(^|[^\\])\[/);
    expect(escaped).not.toMatch(/(^|[^\\])</);
    expect(escaped).not.toMatch(/(^|[^\\])\*/);
    expect(escaped.replace(/\\(.)/g, "$1")).toBe(hostile);
  });

  it("keeps quoted code as inert code spans, even when it holds backticks or newlines", () => {
    expect(renderMessage("use `x == 1` here")).toBe("use `x == 1` here");
    expect(renderMessage("`[a](command:x)`")).toBe("`[a](command:x)`");
    expect(renderMessage("`a\nb` [y](z)")).toBe("`a b` \\[y\\]\\(z\\)");
  });
});
