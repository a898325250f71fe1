-- Snippet completion for clients other than VS Code: after `pym-` the server offers its snippets.
-- Neovim 0.7 advertises no snippetSupport, so the item must be plain code, ready to insert.
local here = debug.getinfo(1, "S").source:sub(2)
local mentor = dofile(vim.fn.fnamemodify(here, ":p:h:h") .. "/mentor.lua")

mentor.run("snippet completion", function()
  mentor.start()
  local bufnr = mentor.open("app.py", mentor.SAMPLE)
  mentor.wait_for_diagnostics(bufnr, "the first diagnostics", function(list)
    return #list > 0
  end)

  -- Type `pym-` on a new top-level line; the request flushes the pending didChange first.
  vim.api.nvim_buf_set_lines(bufnr, -1, -1, true, { "", "", "pym-" })
  local last = vim.api.nvim_buf_line_count(bufnr)
  local params = {
    textDocument = vim.lsp.util.make_text_document_params(bufnr),
    -- After the `-`, where the insert-mode cursor is (a normal-mode cursor cannot be past the last character).
    position = { line = last - 1, character = #"pym-" },
  }
  params.context = { triggerKind = 2, triggerCharacter = "-" }
  local result = mentor.request(bufnr, "textDocument/completion", params)
  mentor.expect(result ~= nil, "no completion after `pym-`")
  local items = result.items or result
  local labels, chosen = {}, nil
  for _, item in ipairs(items) do
    table.insert(labels, item.label)
    if item.label == "pym-contextmanager" then
      chosen = item
    end
  end
  mentor.log("completion items: " .. table.concat(labels, " "))
  mentor.expect(chosen ~= nil, "pym-contextmanager is not among: " .. table.concat(labels, " "))
  mentor.expect(chosen.textEdit ~= nil, "pym-contextmanager has no textEdit")
  mentor.expect(chosen.insertTextFormat ~= 2, "a snippet-format item was sent to a client without snippetSupport")

  -- Accepting the item: its edit replaces the typed `pym-` with plain, indented code.
  vim.lsp.util.apply_text_edits({ chosen.textEdit }, bufnr, "utf-16")
  local lines = vim.api.nvim_buf_get_lines(bufnr, last - 1, -1, true)
  local inserted = table.concat(lines, "\n")
  mentor.log("inserted:\n" .. inserted)
  mentor.expect(lines[1] == "import time", "the inserted code should start with `import time`, starts with: " .. tostring(lines[1]))
  mentor.expect(vim.tbl_contains(lines, "@contextmanager"), "no @contextmanager line in:\n" .. inserted)
  mentor.expect(vim.tbl_contains(lines, "def timed(label):"), "placeholders were not filled in:\n" .. inserted)
  mentor.expect(vim.tbl_contains(lines, "    start = time.perf_counter()"), "the body is not indented with the file's four spaces:\n" .. inserted)
  mentor.expect(lines[#lines] == "        print(label, time.perf_counter() - start)", "the typed prefix was not replaced whole:\n" .. inserted)
  mentor.expect(inserted:find("$", 1, true) == nil, "snippet syntax left in the inserted code:\n" .. inserted)
end)
