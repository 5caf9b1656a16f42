/// The lab `etcdlab new` writes: small, complete, and passing lint and test as it is.
public enum LabTemplate {
  public static func text(id: String, objective: String) -> String {
    """
    schema: 1
    id: \(id)
    objective: \(objective)
    title: {en: "TODO: a short title", zh: "TODO：简短的标题"}
    difficulty: beginner
    minutes: 5
    lesson: add-member.md#plain-add
    intro:
      en: "What the student starts with and what they will do."
      zh: "学员从什么状态开始，要完成什么。"
    setup:
      hosts:
        - {name: infra0, address: 10.0.1.10, member: true}
        - {name: infra1, address: 10.0.1.11, member: true}
        - {name: infra2, address: 10.0.1.12, member: true}
        - {name: infra3, address: 10.0.1.13}
    steps:
      - text:
          en: "Register infra3 as a learner (peer URL http://10.0.1.13:2380)."
          zh: "把 infra3 登记为 learner（peer URL 为 http://10.0.1.13:2380）。"
        checks:
          - member: {name: infra3, is: learner}
        hints:
          - {en: "etcdctl member add ... --learner", zh: "etcdctl member add ... --learner"}
          - {en: "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner", zh: "etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner"}
        solution:
          - etcdctl member add infra3 --peer-urls=http://10.0.1.13:2380 --learner
        mistakes:
          - commands: [etcdctl member add infra3 --peer-urls=http://10.0.1.12:2380 --learner]
            error: peer-urls-exist

    """
  }
}
