-- The quick fix for `x is 1`, asked for the way vim.lsp.buf.code_action() asks, applied with
-- Neovim's own apply_workspace_edit; the server then re-publishes without PYM001 after the
-- didChange Neovim sends.
local here = debug.getinfo(1, "S").source:sub(2)
local mentor = dofile(vim.fn.fnamemodify(here, ":p:h:h") .. "/mentor.lua")

mentor.run("code action", function()
  mentor.start()
  local bufnr = mentor.open("app.py", mentor.SAMPLE)
  mentor.wait_for_diagnostics(bufnr, "PYM001", function(list)
    return mentor.find_code(list, "PYM001")
  end)

  local actions, row = mentor.code_actions_at(bufnr, "x is 1", 0)
  -- The title comes from server/src/rules/is-literal.ts (`fix`: "Use {replacement}").
  local fix = mentor.action_titled(actions, "Use ==")
  mentor.expect(fix.kind == "quickfix" and fix.isPreferred, "`Use ==` should be the preferred quick fix: " .. vim.inspect(fix.kind))
  mentor.expect(fix.edit ~= nil, "the `Use ==` action has no edit")

  vim.lsp.util.apply_workspace_edit(fix.edit, "utf-16")
  local line = mentor.line(bufnr, row)
  mentor.expect(line == '        print("한국어 😀 표", x == 1, session, total)', "after the fix the line reads: " .. line)

  local after = mentor.wait_for_diagnostics(bufnr, "PYM001 to go away after the edit", function(list)
    return not mentor.find_code(list, "PYM001") and mentor.find_code(list, "PYM004")
  end)
  mentor.expect(vim.deep_equal(mentor.codes(after), { "PYM005", "PYM004" }), "after the fix: " .. mentor.summarize(after))
end)
