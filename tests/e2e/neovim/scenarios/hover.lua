-- Hover, as `K` (vim.lsp.buf.hover) asks for it: the entry behind a name, nothing over plain code.
local here = debug.getinfo(1, "S").source:sub(2)
local mentor = dofile(vim.fn.fnamemodify(here, ":p:h:h") .. "/mentor.lua")

--- The hover at the cursor, as the lines Neovim's hover window would show ("" when there is none).
local function hover_at(bufnr, needle, offset)
  mentor.cursor_to(bufnr, needle, offset)
  local params = vim.lsp.util.make_position_params(0, "utf-16")
  local result = mentor.request(bufnr, "textDocument/hover", params)
  local text = ""
  if result then
    text = table.concat(vim.lsp.util.convert_input_to_markdown_lines(result.contents), "\n")
  end
  mentor.log(string.format("hover over %q at %d:%d: %d characters", needle, params.position.line, params.position.character, #text))
  return text
end

local function contains(text, part)
  return text:find(part, 1, true) ~= nil
end

mentor.run("hover", function()
  mentor.start()
  local bufnr = mentor.open("app.py", mentor.SAMPLE)
  mentor.wait_for_diagnostics(bufnr, "the first diagnostics", function(list)
    return #list > 0
  end)

  local decorator = hover_at(bufnr, "@staticmethod", 3)
  mentor.expect(contains(decorator, "`@staticmethod` vs `@classmethod`"), "no entry title in the staticmethod hover:\n" .. decorator)
  mentor.expect(contains(decorator, "cls"), "the staticmethod hover does not explain what a classmethod receives:\n" .. decorator)

  -- `is` after Korean text and an emoji: the UTF-16 column Neovim sends must reach the keyword.
  local identity = hover_at(bufnr, "x is 1", 2)
  mentor.expect(contains(identity, "PYM001"), "the hover over `is` does not name PYM001:\n" .. identity)
  mentor.expect(contains(identity, "=="), "the hover over `is` does not mention ==:\n" .. identity)

  local plain = hover_at(bufnr, "session, total)", #"session, ")
  mentor.expect(plain == "", "an ordinary local name should have no hover, got:\n" .. plain)
end)
