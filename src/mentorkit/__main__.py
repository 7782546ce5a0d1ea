from mentorkit.entry import main

main()
