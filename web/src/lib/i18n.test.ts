import { describe, expect, it } from "vitest";
import { translate } from "./i18n";

describe("the console's languages", () => {
  it("speaks Portuguese first and English on request, with names filled in", () => {
    expect(translate("pt-BR", "typing.one", { name: "Ana" })).toBe("Ana está digitando…");
    expect(translate("en", "typing.one", { name: "Ana" })).toBe("Ana is typing…");
  });
});
