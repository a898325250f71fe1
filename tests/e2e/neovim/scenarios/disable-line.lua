-- "Disable PYM001 for this line" appends `# noqa: PYM001`, and the finding stays away after the edit.
local here = debug.getinfo(1, "S").source:sub(2)
local mentor = dofile(vim.fn.fnamemodify(here, ":p:h:h") .. "/mentor.lua")

mentor.run("disable for this line", function()
  mentor.start()
  local bufnr = mentor.open("app.py", mentor.SAMPLE)
  mentor.wait_for_diagnostics(bufnr, "PYM001", function(list)
    return mentor.find_code(list, "PYM001")
  end)

  -- The cursor on `is`, after the emoji: the range Neovim sends is in UTF-16 units.
  local actions, row = mentor.code_actions_at(bufnr, "is 1", 1)
  local disable = mentor.action_titled(actions, "Disable PYM001 for this line")
  mentor.expect(disable.edit ~= nil, "`Disable PYM001 for this line` has no edit")

  vim.lsp.util.apply_workspace_edit(disable.edit, "utf-16")
  local line = mentor.line(bufnr, row)
  mentor.expect(line == '        print("한국어 😀 표", x is 1, session, total)  # noqa: PYM001', "after disabling, the line reads: " .. line)

  local after = mentor.wait_for_diagnostics(bufnr, "PYM001 to be suppressed", function(list)
    return not mentor.find_code(list, "PYM001") and mentor.find_code(list, "PYM004")
  end)
  mentor.expect(vim.deep_equal(mentor.codes(after), { "PYM005", "PYM004" }), "after disabling: " .. mentor.summarize(after))
end)
